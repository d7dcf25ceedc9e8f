/** Pinterest, as the registry builds it: its adapter, and its connector (OAuth, refresh, profile). */
import type { DescribedNetwork } from '../../described';
import { PinterestAdapter } from './pinterest.adapter';
import { PinterestConnector } from './pinterest.connector';
import { PINTEREST } from './pinterest.descriptor';

export const PINTEREST_NETWORK = {
  descriptor: PINTEREST,
  kit: ({ endpoints, adapterOptions, timeoutMs }) => {
    const connector = new PinterestConnector(endpoints, timeoutMs);
    return { adapter: new PinterestAdapter(adapterOptions, endpoints.api!), oauth: connector, refresher: connector, verifier: connector, profiles: connector };
  },
} satisfies DescribedNetwork<'pinterest'>;
