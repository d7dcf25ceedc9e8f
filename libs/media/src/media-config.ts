/**
 * The media library's slice of the configuration, owned here: where files
 * are kept (a folder or S3), how big they may be, how long unused ones stay,
 * and the signed public links the networks fetch them by. Read through
 * libs/config's reader with the rest (`loadConfig(env, [MEDIA_SLICE])`);
 * taken with `mediaConfig(config)`.
 */
import { createHmac } from 'node:crypto';
import { type ConfigSlice, type EnvReader, type HeraldConfig, sliceOf } from '@herald/config';

export interface MediaSettings {
  /** `folder` (MEDIA_DIR) or `s3` (the S3_* settings). */
  store: 'folder' | 's3';
  dir: string;
  s3?: S3Settings;
  /** Upload and import caps, bytes: images (GIF and stills), video. */
  maxImageBytes: number;
  maxVideoBytes: number;
  /** An import by URL gives up after this. */
  importTimeoutMs: number;
  /** Media no unfinished post uses, and that nothing used for this long, are removed (0: never). */
  retentionMs: number;
  /** How often a worker expires unused media and purges deleted ones. */
  sweepIntervalMs: number;
  /** The most pixels (width × height) an image may have: read from its header, refused before it is decoded. */
  maxImagePixels: number;
  /** How many images a process decodes at once (probing, thumbnails, fitted versions); the rest wait their turn. */
  decodeConcurrency: number;
  /** How long a signed public link (the file Threads, Instagram and Facebook fetch) stays valid. */
  linkTtlMs: number;
  /** The HMAC key of signed public links. */
  linkKey: Buffer;
}

export interface S3Settings {
  bucket: string;
  region: string;
  /** An S3-compatible server's URL (MinIO, R2, Ceph); AWS itself when unset. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** From the environment's usual AWS chain when unset. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Keys under this prefix in the bucket. */
  prefix: string;
}

/** Injection token of the media slice (MediaLibraryModule provides it). */
export const MEDIA_SETTINGS = Symbol('the media slice of the configuration');

export const MEDIA_SLICE: ConfigSlice<MediaSettings> = {
  name: 'media',
  // The signed links' key, unless given, is derived from the first encryption key, so links survive restarts and agree across processes.
  read: (read, config) => readMediaSettings(read, config.encryptionKeys[0] ?? Buffer.alloc(32)),
};

/** The media settings as `config`'s environment gives them (read once per config). */
export function mediaConfig(config: HeraldConfig): MediaSettings {
  return sliceOf(config, MEDIA_SLICE);
}

const MB = 1024 * 1024;

function readMediaSettings(read: EnvReader, encryptionKey: Buffer): MediaSettings {
  const store = read.oneOf('MEDIA_STORE', 'folder', ['folder', 's3'] as const);
  let s3: S3Settings | undefined;
  if (store === 's3') {
    const bucket = read.optional('S3_BUCKET');
    if (!bucket) read.problems.push('S3_BUCKET is required when MEDIA_STORE=s3');
    const accessKeyId = read.optional('S3_ACCESS_KEY_ID');
    const secretAccessKey = read.optional('S3_SECRET_ACCESS_KEY');
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) read.problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
    const endpoint = read.optional('S3_ENDPOINT') === undefined ? undefined : read.url('S3_ENDPOINT', '', ['http:', 'https:']).replace(/\/+$/, '');
    s3 = {
      bucket: bucket ?? '',
      region: read.string('S3_REGION', 'us-east-1'),
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: read.oneOf('S3_FORCE_PATH_STYLE', endpoint ? 'true' : 'false', ['true', 'false'] as const) === 'true',
      ...(accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : {}),
      prefix: read.string('S3_PREFIX', '').replace(/^\/+|\/+$/g, ''),
    };
  }
  const linkSecret = read.optional('MEDIA_LINK_SECRET');
  return {
    store,
    dir: read.string('MEDIA_DIR', '.data/media'),
    ...(s3 ? { s3 } : {}),
    maxImageBytes: read.integer('MEDIA_MAX_IMAGE_MB', 50, 1, 1024) * MB,
    maxVideoBytes: read.integer('MEDIA_MAX_VIDEO_MB', 1024, 1, 10_240) * MB,
    // 64 MP takes a 61 MP camera's photos whole; decoding one costs about 3 bytes a pixel (some 200 MB).
    maxImagePixels: read.integer('MEDIA_MAX_MEGAPIXELS', 64, 1, 268) * 1_000_000,
    decodeConcurrency: read.integer('MEDIA_DECODE_CONCURRENCY', 2, 1, 64),
    importTimeoutMs: read.duration('MEDIA_IMPORT_TIMEOUT', 60_000, 1000, 3_600_000),
    retentionMs: read.duration('MEDIA_RETENTION', 30 * 86_400_000, 0, 3650 * 86_400_000),
    sweepIntervalMs: read.duration('MEDIA_SWEEP_INTERVAL', 60_000, 100, 86_400_000),
    linkTtlMs: read.duration('MEDIA_LINK_TTL', 6 * 3_600_000, 60_000, 7 * 86_400_000),
    // A key of its own when given; else derived from the encryption key, so links survive restarts and agree across processes.
    linkKey: linkSecret ? Buffer.from(linkSecret) : createHmac('sha256', encryptionKey).update('herald media links').digest(),
  };
}

