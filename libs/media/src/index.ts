export * from './media-store';
export { FolderMediaStore } from './folder-store';
export { MediaRefused } from './media-errors';
export { MediaLibrary, type Ingested } from './media-library';
export { MediaImporter } from './importer';
export { SignedLinks } from './signed-links';
export { IMAGE_TYPES, VIDEO_TYPES, extensionOf, kindOf } from './media-types';
export type { Caps } from './intake';
export { MediaLibraryModule, MEDIA_STORE, mediaStoreFor } from './media.module';
