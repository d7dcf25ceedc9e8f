/**
 * The networks added beside the seven, each by what builds its kit (server
 * side; their descriptors, browser-safe, are listed in descriptors.ts).
 */
import type { DescribedNetwork } from '../described';
import { GOOGLE_BUSINESS_NETWORK } from './google-business/google-business.network';
import { PINTEREST_NETWORK } from './pinterest/pinterest.network';
import { TIKTOK_NETWORK } from './tiktok/tiktok.network';
import { YOUTUBE_NETWORK } from './youtube/youtube.network';

export const MORE_KITS = [PINTEREST_NETWORK, YOUTUBE_NETWORK, TIKTOK_NETWORK, GOOGLE_BUSINESS_NETWORK] as const;

/** The same list, as plain kits. */
export const MORE_KIT_LIST: readonly DescribedNetwork[] = MORE_KITS;
