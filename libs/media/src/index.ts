export * from './media-store';
export { FolderMediaStore } from './folder-store';
