import { Global, Module } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { discoverMock, mockEndpoints, realEndpoints } from './endpoints';
import { LinkPreviewer } from './link-preview';
import { ChannelAdapterRegistry } from './registry';
import { UrlPolicy } from './url-policy';

/**
 * The seven networks for this process: the real ones, or (MOCK_SOCIAL_URL)
 * the mock's, found from its `/_mock/networks` at start. Outgoing URLs
 * follow the URL policy (HERALD_URL_ALLOWLIST).
 */
@Global()
@Module({
  providers: [
    { provide: UrlPolicy, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig) => new UrlPolicy(config.urlAllowlist) },
    {
      provide: ChannelAdapterRegistry,
      inject: [HERALD_CONFIG, UrlPolicy],
      useFactory: async (config: HeraldConfig, policy: UrlPolicy) =>
        new ChannelAdapterRegistry({
          endpoints: config.mockSocialUrl ? mockEndpoints(await discoverMock(config.mockSocialUrl)) : realEndpoints(config.networkUrls),
          timeoutMs: config.networkTimeoutMs,
          lookupMaxPages: config.lookupMaxPages,
          previews: new LinkPreviewer(policy),
        }),
    },
  ],
  exports: [ChannelAdapterRegistry, UrlPolicy],
})
export class ChannelAdaptersModule {}
