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

/**
 * Where a post may carry a first comment: a reply after its last part where
 * it has threads, a comment under it on LinkedIn, Facebook and Instagram.
 * The networks that describe themselves take none through Herald (YouTube's
 * comments need full management of the account; TikTok, Pinterest and
 * Business Profile have no API for one): a post with one to them is refused
 * when it is scheduled, never published as a second post.
 */
export const TAKES_FIRST_COMMENT: Record<Network, boolean> = {
  x: true,
  bluesky: true,
  mastodon: true,
  threads: true,
  linkedin: true,
  instagram: true,
  facebook: true,
  ...(Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, false])) as Record<(typeof MORE_NETWORKS)[number]['network'], boolean>),
};
