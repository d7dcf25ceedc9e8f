export * from './media-store';
export { FolderMediaStore } from './folder-store';
export { S3MediaStore, s3ClientConfig } from './s3-store';
export { createMediaStore } from './create-media-store';
