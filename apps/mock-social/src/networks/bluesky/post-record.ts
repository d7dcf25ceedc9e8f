/**
 * What a PDS checks in an `app.bsky.feed.post` record before it writes it,
 * and the media it references: `createdAt` an atproto datetime, `text`,
 * facets whose byte ranges fall on UTF-8 boundaries within the text and
 * whose features are well formed, a reply's `root` and `parent` strong
 * refs (an at:// URI and a CID each), and an images or external embed whose
 * images are blob refs to blobs this account uploaded (within their size
 * and type). A refusal carries the PDS's error name and message.
 */
import { MediaFacts } from '../../media/inspect';
import { parseCid } from './cid';

/** A blob this account uploaded: its CID and what its bytes are. */
export type StoredBlob = MediaFacts & { cid: string };

/** An image of the record's embed, as `/_mock/posts` shows it. */
export type RecordMedia = MediaFacts & { alt: string };

/** A strong ref: a record's at:// URI and the CID of its content. */
export interface StrongRef {
  uri: string;
  cid: string;
}

export type RecordCheck =
  | { ok: true; text: string; createdAt: string; media: RecordMedia[]; facets?: unknown[]; embed?: unknown; reply?: { root: StrongRef; parent: StrongRef } }
  | { ok: false; error: string; message: string };

class Refusal extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const PREFIX = 'Invalid app.bsky.feed.post record:';
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const URI = /^[a-z][a-z0-9+.-]*:[^\s]+$/i;
/** A record's at:// URI: an authority (DID or handle), a collection NSID, a record key. */
const AT_URI = /^at:\/\/[^\s/]+\/[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+\/[a-zA-Z0-9._:~-]{1,512}$/;
const NSID_REF = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+(#[a-zA-Z][a-zA-Z0-9]*)?$/;
const IMAGE_MAX = 2_000_000;
const THUMB_MAX = 1_000_000;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Checks a record; `blobOf` finds a blob this account uploaded, by CID. */
export function checkPostRecord(record: unknown, blobOf: (cid: string) => StoredBlob | undefined): RecordCheck {
  try {
    const value = objectAt(record, 'Record');
    if (value.$type !== 'app.bsky.feed.post') invalid('Record/$type must be app.bsky.feed.post');
    if (typeof value.text !== 'string') invalid('Record must have the property "text"');
    if (typeof value.createdAt !== 'string') invalid('Record must have the property "createdAt"');
    if (!DATETIME.test(value.createdAt) || Number.isNaN(Date.parse(value.createdAt))) {
      invalid('Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)');
    }
    if (value.langs !== undefined && !(Array.isArray(value.langs) && value.langs.length <= 3 && value.langs.every((lang) => typeof lang === 'string'))) {
      invalid('Record/langs must be an array of at most 3 language tags');
    }
    const facets = value.facets === undefined ? undefined : checkFacets(value.facets, value.text);
    const media = value.embed === undefined ? [] : checkEmbed(value.embed, blobOf);
    const reply = value.reply === undefined ? undefined : checkReply(value.reply);
    return {
      ok: true,
      text: value.text,
      createdAt: value.createdAt,
      media,
      ...(facets ? { facets } : {}),
      ...(value.embed !== undefined ? { embed: value.embed } : {}),
      ...(reply ? { reply } : {}),
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.error, message: error.message };
    throw error;
  }
}

/** `app.bsky.feed.post#replyRef`: `root` and `parent`, each a `com.atproto.repo.strongRef`. */
function checkReply(reply: unknown): { root: StrongRef; parent: StrongRef } {
  const value = objectAt(reply, 'Record/reply');
  return { root: strongRef(value.root, 'Record/reply/root'), parent: strongRef(value.parent, 'Record/reply/parent') };
}

function strongRef(ref: unknown, path: string): StrongRef {
  if (ref === undefined) invalid(`${path.slice(0, path.lastIndexOf('/'))} must have the property "${path.slice(path.lastIndexOf('/') + 1)}"`);
  const value = objectAt(ref, path);
  if (typeof value.uri !== 'string') invalid(`${path} must have the property "uri"`);
  if (!AT_URI.test(value.uri)) invalid(`${path}/uri must be a valid at-uri`);
  if (typeof value.cid !== 'string') invalid(`${path} must have the property "cid"`);
  if (parseCid(value.cid) === undefined) invalid(`${path}/cid must be a cid string`);
  return { uri: value.uri, cid: value.cid };
}

function checkFacets(facets: unknown, text: string): unknown[] {
  if (!Array.isArray(facets)) invalid('Record/facets must be an array');
  const bytes = Buffer.from(text, 'utf8');
  facets.forEach((facet, i) => {
    const path = `Record/facets/${i}`;
    const index = objectAt(objectAt(facet, path).index, `${path}/index`);
    const { byteStart, byteEnd } = index;
    if (!Number.isInteger(byteStart) || (byteStart as number) < 0) invalid(`${path}/index/byteStart must be an integer of at least 0`);
    if (!Number.isInteger(byteEnd) || (byteEnd as number) < 0) invalid(`${path}/index/byteEnd must be an integer of at least 0`);
    const [start, end] = [byteStart as number, byteEnd as number];
    if (start >= end) invalid(`${path}/index/byteEnd must be greater than byteStart`);
    if (end > bytes.length) invalid(`${path}/index/byteEnd must be within the text (${bytes.length} bytes)`);
    if (!onBoundary(bytes, start) || !onBoundary(bytes, end)) invalid(`${path}/index must fall on UTF-8 character boundaries`);
    const features = (facet as { features?: unknown }).features;
    if (!Array.isArray(features) || features.length === 0) invalid(`${path}/features must be a non-empty array`);
    features.forEach((feature, j) => checkFeature(feature, `${path}/features/${j}`));
  });
  return facets;
}

function checkFeature(feature: unknown, path: string): void {
  const value = objectAt(feature, path);
  if (typeof value.$type !== 'string') invalid(`${path} must be an object which includes the "$type" property`);
  switch (value.$type) {
    case 'app.bsky.richtext.facet#link':
      if (typeof value.uri !== 'string' || !URI.test(value.uri)) invalid(`${path}/uri must be a uri`);
      return;
    case 'app.bsky.richtext.facet#mention':
      if (typeof value.did !== 'string' || !DID.test(value.did)) invalid(`${path}/did must be a valid did`);
      return;
    case 'app.bsky.richtext.facet#tag': {
      const tag = value.tag;
      if (typeof tag !== 'string' || tag.length === 0) invalid(`${path}/tag must be a non-empty string`);
      if (tag.startsWith('#') || /\s/.test(tag)) invalid(`${path}/tag must be the tag without "#" and without spaces`);
      if (Buffer.byteLength(tag) > 640 || Array.from(segmenter.segment(tag)).length > 64) invalid(`${path}/tag must not be longer than 64 graphemes`);
      return;
    }
    default:
      // The features union is open: another lexicon's feature is kept as it is.
      if (!NSID_REF.test(value.$type)) invalid(`${path}/$type must be a lexicon reference`);
  }
}

function checkEmbed(embed: unknown, blobOf: (cid: string) => StoredBlob | undefined): RecordMedia[] {
  const value = objectAt(embed, 'Record/embed');
  if (value.$type === 'app.bsky.embed.images') {
    const images = value.images;
    if (!Array.isArray(images) || images.length === 0) invalid('Record/embed/images must be a non-empty array');
    if (images.length > 4) invalid('Record/embed/images must not have more than 4 elements');
    return images.map((image, i) => {
      const path = `Record/embed/images/${i}`;
      const item = objectAt(image, path);
      if (typeof item.alt !== 'string') invalid(`${path} must have the property "alt"`);
      const aspect = item.aspectRatio;
      if (aspect !== undefined) {
        const ratio = objectAt(aspect, `${path}/aspectRatio`);
        if (!(Number.isInteger(ratio.width) && (ratio.width as number) >= 1 && Number.isInteger(ratio.height) && (ratio.height as number) >= 1)) {
          invalid(`${path}/aspectRatio must have integer width and height of at least 1`);
        }
      }
      const { type, mimeType, size, width, height } = referencedBlob(item.image, blobOf, IMAGE_MAX);
      return { type, mimeType, size, ...(width ? { width, height } : {}), alt: item.alt };
    });
  }
  if (value.$type === 'app.bsky.embed.external') {
    const external = objectAt(value.external, 'Record/embed/external');
    if (typeof external.uri !== 'string' || !URI.test(external.uri)) invalid('Record/embed/external/uri must be a uri');
    if (typeof external.title !== 'string') invalid('Record/embed/external must have the property "title"');
    if (typeof external.description !== 'string') invalid('Record/embed/external must have the property "description"');
    if (external.thumb !== undefined) referencedBlob(external.thumb, blobOf, THUMB_MAX);
    return [];
  }
  if (typeof value.$type !== 'string') invalid('Record/embed must be an object which includes the "$type" property');
  return [];
}

/** A blob ref `{$type: 'blob', ref: {$link}, mimeType, size}` to an uploaded image, within `maxSize`. */
function referencedBlob(ref: unknown, blobOf: (cid: string) => StoredBlob | undefined, maxSize: number): StoredBlob {
  const value = ref as { $type?: unknown; ref?: { $link?: unknown }; mimeType?: unknown; size?: unknown } | null;
  const link = value?.ref?.$link;
  if (typeof value !== 'object' || value === null || value.$type !== 'blob' || parseCid(link) === undefined || typeof value.mimeType !== 'string' || !Number.isInteger(value.size)) {
    invalid('Expected blob value type');
  }
  const blob = blobOf(link as string);
  if (!blob) throw new Refusal('BlobNotFound', `Could not find blob: ${String(link)}`);
  if (!blob.mimeType.startsWith('image/')) throw new Refusal('InvalidMimeType', `Wrong type of file. It is ${blob.mimeType} but it must match image/*.`);
  if (blob.size > maxSize) {
    throw new Refusal('BlobTooLarge', `This file is too large. It is ${(blob.size / 1e6).toFixed(2)}MB but the maximum size is ${(maxSize / 1e6).toFixed(2)}MB.`);
  }
  return blob;
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${path} must be an object`);
  return value as Record<string, unknown>;
}

function onBoundary(bytes: Buffer, offset: number): boolean {
  return offset === bytes.length || ((bytes[offset] ?? 0) & 0xc0) !== 0x80;
}

function invalid(message: string): never {
  throw new Refusal('InvalidRequest', `${PREFIX} ${message}`);
}
