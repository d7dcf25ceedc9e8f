/** The social networks Herald publishes to, named as in the public API: the seven, then each descriptor's. */
import { DESCRIBED_NETWORKS, MORE_NETWORKS } from '../networks/descriptors';

const SEVEN = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;
type NamesOf<T> = { [K in keyof T]: T[K] extends { network: infer N } ? N : never };

export const NETWORKS = [...SEVEN, ...DESCRIBED_NETWORKS.map((descriptor) => descriptor.network)] as unknown as readonly [...typeof SEVEN, ...NamesOf<typeof MORE_NETWORKS>];
export type Network = (typeof NETWORKS)[number];

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}
