/** TikTok, as the registry builds it: its adapter, and its connector (TikTok's OAuth v2 with PKCE, refresh, profile). */
import type { DescribedNetwork } from '../../described';
import { TikTokAdapter } from './tiktok.adapter';
import { TikTokConnector } from './tiktok.connector';
import { TIKTOK } from './tiktok.descriptor';

export const TIKTOK_NETWORK = {
  descriptor: TIKTOK,
  kit: ({ endpoints, adapterOptions, timeoutMs, settings }) => {
    const connector = new TikTokConnector(endpoints, timeoutMs);
    return { adapter: new TikTokAdapter(adapterOptions, endpoints.api!, settings.TIKTOK_VIDEO_SOURCE === 'pull' ? 'pull' : 'upload'), oauth: connector, refresher: connector, verifier: connector, profiles: connector };
  },
} satisfies DescribedNetwork<'tiktok'>;
