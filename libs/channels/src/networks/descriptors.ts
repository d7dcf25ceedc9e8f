/**
 * The networks added beside the seven, each by its descriptor (browser-safe):
 * adding a network is its folder, one line here and one in kits.ts.
 */
import type { NetworkDescriptor, NetworkOptionsSpec } from '../rules/descriptor';
import { GOOGLE_BUSINESS } from './google-business/google-business.descriptor';
import { PINTEREST } from './pinterest/pinterest.descriptor';
import { TIKTOK } from './tiktok/tiktok.descriptor';
import { YOUTUBE } from './youtube/youtube.descriptor';

export const MORE_NETWORKS = [PINTEREST, YOUTUBE, TIKTOK, GOOGLE_BUSINESS] as const;

/** The same list, as plain descriptors (for lists that do not need each one's own type). */
export const DESCRIBED_NETWORKS: readonly NetworkDescriptor[] = MORE_NETWORKS;

/** What a post may say only to this network (`networkOptions.<network>`), if anything. */
export function optionsSpecOf(network: string): NetworkOptionsSpec | undefined {
  return DESCRIBED_NETWORKS.find((descriptor) => descriptor.network === network)?.options;
}

/** The networks a post can give options to, in the API's order. */
export const NETWORKS_WITH_OPTIONS: readonly string[] = DESCRIBED_NETWORKS.filter((descriptor) => descriptor.options).map((descriptor) => descriptor.network);
