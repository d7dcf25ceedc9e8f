/** YouTube, as the registry builds it: its adapter, and its connector (Google's OAuth, refresh, profile). */
import type { DescribedNetwork } from '../../described';
import { YouTubeAdapter } from './youtube.adapter';
import { YouTubeConnector } from './youtube.connector';
import { YOUTUBE } from './youtube.descriptor';

export const YOUTUBE_NETWORK = {
  descriptor: YOUTUBE,
  kit: ({ endpoints, adapterOptions, timeoutMs }) => {
    const connector = new YouTubeConnector(endpoints, timeoutMs);
    return { adapter: new YouTubeAdapter(adapterOptions, endpoints.api!), oauth: connector, refresher: connector, verifier: connector, profiles: connector };
  },
} satisfies DescribedNetwork<'youtube'>;
