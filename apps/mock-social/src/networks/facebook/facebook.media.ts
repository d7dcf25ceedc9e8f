/**
 * What a Facebook Page takes by URL, fetched and judged by its bytes:
 * photos (JPEG, PNG, GIF, BMP, TIFF, WebP up to 10,000,000 bytes; refused
 * with code 324, "Missing or invalid image file") and videos (MP4, MOV;
 * refused with 389 when the URL cannot be fetched, 352 for a format it does
 * not take); and the unpublished photos a feed post's `attached_media`
 * names (this Page's, each attached once).
 */
import { Account } from '../../accounts';
import { Answer } from '../../http/answer';
import { fetchPublicMedia } from '../../media/fetch-public';
import { MediaFacts } from '../../media/inspect';
import { MockMedia } from '../../store';
import { MockWorld } from '../../world';
import { invalidParameter } from '../meta/containers';
import { graphError } from '../meta/graph';

export type UnpublishedPhoto = MockMedia & { id: string; attachedTo?: string };

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/tiff', 'image/webp'];
const PHOTO_MAX = 10_000_000;
const VIDEO_TYPES = ['video/mp4', 'video/quicktime'];
const VIDEO_MAX = 1024 * 1024 * 1024;

const invalidImage = (detail: string) => graphError(400, { message: `(#324) Missing or invalid image file: ${detail}`, code: 324 });

export function facebookPhotos(world: MockWorld) {
  return world.store.shelf<UnpublishedPhoto>('facebook-photos');
}

export async function fetchPhoto(url: string): Promise<{ facts: MediaFacts } | { refusal: Answer }> {
  const fetched = await fetchPublicMedia(url, PHOTO_MAX);
  if (!fetched.ok) return { refusal: invalidImage(fetched.problem === 'too_large' ? `the photo is larger than ${PHOTO_MAX} bytes` : fetched.message) };
  if (!PHOTO_TYPES.includes(fetched.facts.mimeType)) return { refusal: invalidImage(`${fetched.facts.mimeType} is not a photo format Facebook takes`) };
  return { facts: fetched.facts };
}

export async function fetchVideo(url: string): Promise<{ facts: MediaFacts } | { refusal: Answer }> {
  const fetched = await fetchPublicMedia(url, VIDEO_MAX);
  if (!fetched.ok && fetched.problem === 'unreachable') return { refusal: graphError(400, { message: `(#389) Unable to fetch video file from URL: ${fetched.message}`, code: 389 }) };
  if (!fetched.ok || !VIDEO_TYPES.includes(fetched.facts.mimeType)) {
    return { refusal: graphError(400, { message: "Sorry, the video file you selected is in a format that we don't support.", code: 352 }) };
  }
  return { facts: fetched.facts };
}

/**
 * The photos `attached_media` names (`[{"media_fbid": "..."}]` as JSON, or
 * `attached_media[0]={"media_fbid": "..."}` form fields): this Page's
 * unpublished photos, not attached to another post.
 */
export function attachedPhotos(world: MockWorld, account: Account, body: Record<string, unknown>): { photos: UnpublishedPhoto[] } | { refusal: Answer } {
  const indexed = Object.keys(body)
    .filter((key) => /^attached_media\[\d+\]$/.test(key))
    .sort((a, b) => Number(a.slice(15, -1)) - Number(b.slice(15, -1)))
    .map((key) => parsed(body[key]));
  const raw = body.attached_media === undefined ? indexed : parsed(body.attached_media);
  if (!Array.isArray(raw)) return { refusal: invalidParameter('attached_media must be an array of {"media_fbid": "<photo id>"}') };
  const shelf = facebookPhotos(world);
  const photos: UnpublishedPhoto[] = [];
  for (const [index, item] of raw.entries()) {
    const id = typeof item === 'object' && item !== null ? (item as { media_fbid?: unknown }).media_fbid : undefined;
    const photo = typeof id === 'string' || typeof id === 'number' ? shelf.of(account, String(id)) : undefined;
    if (!photo) return { refusal: invalidParameter(`param attached_media[${index}] must name an unpublished photo of this Page`) };
    if (photo.attachedTo || photos.includes(photo)) return { refusal: invalidParameter(`attached_media[${index}]: the photo ${photo.id} is already attached to a post`) };
    photos.push(photo);
  }
  return { photos };
}

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
