import { Global, Module } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapterRegistry, createChannelAdapters } from './adapters/registry';

/** The adapters of the seven networks, talking to MOCK_SOCIAL_URL. */
@Global()
@Module({
  providers: [
    {
      provide: ChannelAdapterRegistry,
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) =>
        new ChannelAdapterRegistry(createChannelAdapters(config.mockSocialUrl, { timeoutMs: config.networkTimeoutMs, lookupMaxPages: config.lookupMaxPages })),
    },
  ],
  exports: [ChannelAdapterRegistry],
})
export class ChannelAdaptersModule {}
