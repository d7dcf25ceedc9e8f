/** The social networks Herald publishes to, named as in the public API. */
export const NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;
export type Network = (typeof NETWORKS)[number];

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}
