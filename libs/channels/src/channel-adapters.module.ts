import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { NETWORKS_CONFIG, NetworksConfig, networksConfig } from './networks-config';
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
    // Read (and checked) once, when the module loads: a malformed NETWORK_QUOTAS or half an OAuth app stops the process.
    { provide: NETWORKS_CONFIG, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig): NetworksConfig => networksConfig(config) },
    {
      provide: ChannelAdapterRegistry,
      inject: [HERALD_CONFIG, NETWORKS_CONFIG, Outbound],
      useFactory: async (config: HeraldConfig, networks: NetworksConfig, outbound: Outbound) =>
        new ChannelAdapterRegistry({
          endpoints: config.mockSocialUrl ? mockEndpoints(await discoverMock(config.mockSocialUrl)) : realEndpoints(networks.urls),
          timeoutMs: config.networkTimeoutMs,
          lookupMaxPages: config.lookupMaxPages,
          previews: new LinkPreviewer(outbound),
          outbound,
          networkSettings: networks.settings,
        }),
    },
  ],
  exports: [ChannelAdapterRegistry, UrlPolicy, Outbound, NETWORKS_CONFIG],
})
export class ChannelAdaptersModule implements OnApplicationShutdown {
  constructor(private readonly outbound: Outbound) {}

  async onApplicationShutdown(): Promise<void> {
    await this.outbound.close();
  }
}
