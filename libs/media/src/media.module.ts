/** The media library for a process (the API's and the worker's): its store, its importer, its signed links, from the config. */
import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { Outbound } from '@herald/channels';
import { MediaRepository } from '@herald/db';
import { createMediaStore } from './create-media-store';
import { MediaImporter } from './importer';
import { MediaLibrary } from './media-library';
import { MediaStore } from './media-store';
import { SignedLinks } from './signed-links';

export const MEDIA_STORE = Symbol('MEDIA_STORE');

@Global()
@Module({
  providers: [
    { provide: MEDIA_STORE, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig) => createMediaStore(config.media) },
    {
      provide: MediaImporter,
      inject: [HERALD_CONFIG, Outbound],
      useFactory: (config: HeraldConfig, outbound: Outbound) => new MediaImporter(outbound, config.media, config.media.importTimeoutMs),
    },
    {
      provide: MediaLibrary,
      inject: [getDataSourceToken(), MediaRepository, MEDIA_STORE, MediaImporter, HERALD_CONFIG],
      useFactory: (dataSource: DataSource, repository: MediaRepository, store: MediaStore, importer: MediaImporter, config: HeraldConfig) =>
        new MediaLibrary(dataSource, repository, store, importer, config.media),
    },
    {
      provide: SignedLinks,
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => new SignedLinks(config.publicUrl, config.media.linkKey, config.media.linkTtlMs),
    },
  ],
  exports: [MEDIA_STORE, MediaImporter, MediaLibrary, SignedLinks],
})
export class MediaLibraryModule {}
