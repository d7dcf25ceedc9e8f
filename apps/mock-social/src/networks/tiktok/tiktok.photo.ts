/**
 * TikTok's photo posts (`POST /v2/post/publish/content/init/`): what the
 * request must say (`media_type` PHOTO, `post_mode` DIRECT_POST here, a
 * title of 90 characters, a description of 4,000, 1 to 35 `photo_images`
 * by `PULL_FROM_URL`, a `photo_cover_index` among them) and what each photo
 * must be once fetched (JPEG or WebP, 20 MB, at most 1080p: 1920 pixels on
 * its longest side). Source: developers.tiktok.com
 * `/doc/content-posting-api-reference-photo-post`, `/doc/content-posting-api-media-transfer-guide`.
 */
import { MediaFacts } from '../../media/inspect';

const TITLE_MAX = 90;
const DESCRIPTION_MAX = 4000;
const MAX_PHOTOS = 35;
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/webp']);
const MAX_SIDE = 1920;

export interface PhotoPost {
  title: string;
  description: string;
  urls: string[];
  cover: number;
}

/** The photo post a `content/init` body asks for, judged by TikTok's rules. */
export function photoPostOf(body: Record<string, unknown>, refuse: (message: string) => Error): PhotoPost {
  if (body.media_type !== 'PHOTO') throw refuse('media_type must be PHOTO');
  if (body.post_mode === 'MEDIA_UPLOAD') throw refuse('The mock serves post_mode DIRECT_POST only');
  if (body.post_mode !== 'DIRECT_POST') throw refuse('post_mode must be DIRECT_POST or MEDIA_UPLOAD');
  const info = (body.post_info ?? {}) as Record<string, unknown>;
  const source = (body.source_info ?? {}) as Record<string, unknown>;
  const title = info.title ?? '';
  const description = info.description ?? '';
  if (typeof title !== 'string' || Array.from(title).length > TITLE_MAX) throw refuse(`post_info.title must be a string of at most ${TITLE_MAX} characters`);
  if (typeof description !== 'string' || Array.from(description).length > DESCRIPTION_MAX) throw refuse(`post_info.description must be a string of at most ${DESCRIPTION_MAX} characters`);
  if (source.source !== 'PULL_FROM_URL') throw refuse('Photos are taken by PULL_FROM_URL only');
  const urls = source.photo_images;
  if (!Array.isArray(urls) || urls.length < 1 || urls.length > MAX_PHOTOS || urls.some((url) => typeof url !== 'string' || url === '')) throw refuse(`source_info.photo_images must be 1 to ${MAX_PHOTOS} URLs`);
  const cover = source.photo_cover_index ?? 0;
  if (typeof cover !== 'number' || !Number.isInteger(cover) || cover < 0 || cover >= urls.length) throw refuse('source_info.photo_cover_index must be the index of one of photo_images');
  return { title, description, urls: urls as string[], cover };
}

/** Why TikTok would fail this fetched photo (its `fail_reason`), if it would. */
export function photoFailure(facts: MediaFacts | undefined): string | undefined {
  if (!facts) return 'photo_pull_failed';
  if (facts.type !== 'image' || !PHOTO_TYPES.has(facts.mimeType)) return 'file_format_check_failed';
  if (Math.max(facts.width ?? 0, facts.height ?? 0) > MAX_SIDE) return 'picture_size_check_failed';
  return undefined;
}
