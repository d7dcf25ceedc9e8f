/** Google Business Profile, as the registry builds it: its adapter, and its connector (Google's OAuth, refresh, profile). */
import type { DescribedNetwork } from '../../described';
import { GoogleBusinessAdapter } from './google-business.adapter';
import { GoogleBusinessConnector } from './google-business.connector';
import { GOOGLE_BUSINESS } from './google-business.descriptor';

export const GOOGLE_BUSINESS_NETWORK = {
  descriptor: GOOGLE_BUSINESS,
  kit: ({ endpoints, adapterOptions, timeoutMs }) => {
    const connector = new GoogleBusinessConnector(endpoints, timeoutMs);
    return { adapter: new GoogleBusinessAdapter(adapterOptions, endpoints.api!), oauth: connector, refresher: connector, profiles: connector };
  },
} satisfies DescribedNetwork<'google_business'>;
