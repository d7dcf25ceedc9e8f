/**
 * Where a post of several parts is a thread, part n+1 published as a reply
 * by the same account to part n (PRODUCT.md section 10): X, Bluesky,
 * Mastodon, Threads. LinkedIn, Facebook and Instagram have no threads, so
 * a post of several parts to them is refused when it is scheduled. Every
 * network must say (a new one cannot be forgotten here).
 */
import { Network } from './network';
import { DESCRIBED_NETWORKS, MORE_NETWORKS } from '../networks/descriptors';

export const HAS_THREADS: Record<Network, boolean> = {
  x: true,
  bluesky: true,
  mastodon: true,
  threads: true,
  linkedin: false,
  instagram: false,
  facebook: false,
  // The networks that describe themselves take one part per post.
  ...(Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, false])) as Record<(typeof MORE_NETWORKS)[number]['network'], boolean>),
};
