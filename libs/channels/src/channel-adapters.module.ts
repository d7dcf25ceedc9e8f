import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { discoverMock, mockEndpoints, realEndpoints } from './endpoints';
import { LinkPreviewer } from './link-preview';
import { ChannelAdapterRegistry } from './registry';
import { Outbound, systemResolver } from './outbound';
import { UrlPolicy } from './url-policy';

/**
 * The seven networks for this process: the real ones, or (MOCK_SOCIAL_URL)
 * the mock's, found from its `/_mock/networks` at start. Every URL a user
 * gave is called through `Outbound`, under the URL policy
 * (HERALD_URL_ALLOWLIST).
 */
@Global()
@Module({
  providers: [
    { provide: UrlPolicy, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig) => new UrlPolicy(config.urlAllowlist) },
    { provide: Outbound, inject: [HERALD_CONFIG, UrlPolicy], useFactory: (config: HeraldConfig, policy: UrlPolicy) => new Outbound(policy, systemResolver(config.dnsServers)) },
    {
      provide: ChannelAdapterRegistry,
      inject: [HERALD_CONFIG, Outbound],
      useFactory: async (config: HeraldConfig, outbound: Outbound) =>
        new ChannelAdapterRegistry({
          endpoints: config.mockSocialUrl ? mockEndpoints(await discoverMock(config.mockSocialUrl)) : realEndpoints(config.networkUrls),
          timeoutMs: config.networkTimeoutMs,
          lookupMaxPages: config.lookupMaxPages,
          previews: new LinkPreviewer(outbound),
          outbound,
          networkSettings: config.networkSettings,
        }),
    },
  ],
  exports: [ChannelAdapterRegistry, UrlPolicy, Outbound],
})
export class ChannelAdaptersModule implements OnApplicationShutdown {
  constructor(private readonly outbound: Outbound) {}

  async onApplicationShutdown(): Promise<void> {
    await this.outbound.close();
  }
}
