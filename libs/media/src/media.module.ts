/** The media library for a process (the API's and the worker's): its store, its importer, its signed links, from the config. */
import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapterRegistry, Outbound } from '@herald/channels';
import { ChannelAvatarsRepository, ChannelsRepository, MediaRepository, TokenCipher } from '@herald/db';
import { AvatarFetcher } from './avatars';
import { ChannelProfiles } from './channel-profiles';
import { createMediaStore } from './create-media-store';
import { MediaImporter } from './importer';
import { MediaLibrary } from './media-library';
import { MEDIA_SETTINGS, MediaSettings, mediaConfig } from './media-config';
import { MediaStore } from './media-store';
import { SignedLinks } from './signed-links';

export const MEDIA_STORE = Symbol('MEDIA_STORE');

@Global()
@Module({
  providers: [
    // Read (and checked) once, when the module loads.
    { provide: MEDIA_SETTINGS, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig): MediaSettings => mediaConfig(config) },
    { provide: MEDIA_STORE, inject: [MEDIA_SETTINGS], useFactory: (settings: MediaSettings) => createMediaStore(settings) },
    {
      provide: MediaImporter,
      inject: [MEDIA_SETTINGS, Outbound],
      useFactory: (settings: MediaSettings, outbound: Outbound) => new MediaImporter(outbound, settings, settings.importTimeoutMs),
    },
    {
      provide: MediaLibrary,
      inject: [getDataSourceToken(), MediaRepository, MEDIA_STORE, MediaImporter, MEDIA_SETTINGS],
      useFactory: (dataSource: DataSource, repository: MediaRepository, store: MediaStore, importer: MediaImporter, settings: MediaSettings) =>
        new MediaLibrary(dataSource, repository, store, importer, settings),
    },
    {
      provide: SignedLinks,
      inject: [HERALD_CONFIG, MEDIA_SETTINGS],
      useFactory: (config: HeraldConfig, settings: MediaSettings) => new SignedLinks(config.publicUrl, settings.linkKey, settings.linkTtlMs),
    },
    { provide: AvatarFetcher, inject: [Outbound, ChannelAdapterRegistry], useFactory: (outbound: Outbound, registry: ChannelAdapterRegistry) => new AvatarFetcher(outbound, registry) },
    {
      provide: ChannelProfiles,
      inject: [ChannelAdapterRegistry, ChannelsRepository, ChannelAvatarsRepository, AvatarFetcher, TokenCipher],
      useFactory: (registry: ChannelAdapterRegistry, channels: ChannelsRepository, avatars: ChannelAvatarsRepository, fetcher: AvatarFetcher, cipher: TokenCipher) =>
        new ChannelProfiles(registry, channels, avatars, fetcher, cipher),
    },
  ],
  exports: [MEDIA_STORE, MediaImporter, MediaLibrary, SignedLinks, ChannelProfiles, MEDIA_SETTINGS],
})
export class MediaLibraryModule implements OnApplicationShutdown {
  constructor(private readonly avatars: AvatarFetcher) {}

  async onApplicationShutdown(): Promise<void> {
    await this.avatars.close();
  }
}
