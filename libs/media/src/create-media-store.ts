/** The media store the settings name: the folder (`MEDIA_DIR`) or the S3 bucket (`MEDIA_STORE=s3`, `S3_*`). */
import type { MediaSettings } from './media-config';
import { FolderMediaStore } from './folder-store';
import { MediaStore } from './media-store';
import { S3MediaStore } from './s3-store';

export function createMediaStore(settings: MediaSettings): MediaStore {
  if (settings.store === 's3') {
    if (!settings.s3) throw new Error('MEDIA_STORE=s3 needs the S3_* settings (S3_BUCKET at least)');
    return new S3MediaStore(settings.s3);
  }
  return new FolderMediaStore(settings.dir);
}
