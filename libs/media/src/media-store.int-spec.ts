/**
 * One suite, both media stores: the folder, and S3 (against s3rver on
 * loopback). Every test starts on an empty folder or an empty bucket, and
 * looks at what is really stored (the folder's files, the bucket's listing),
 * not only at what the store answers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from './media-config';
import { freePort } from '../../../test/support/ports';
import { startS3Server, S3TestServer } from '../../../test/support/s3-server';
import { createMediaStore } from './create-media-store';
import { FolderMediaStore } from './folder-store';
import { contentKey, MediaNotStored, MediaStore, readAll } from './media-store';
import { S3MediaStore, s3ClientConfig } from './s3-store';

const PREFIX = 'herald/media';

interface Subject {
  store: MediaStore;
  /** The media keys really stored, sorted (for S3: the bucket's keys, each required to be under the prefix). */
  storedKeys(): Promise<string[]>;
  /** Everything the test wrote outside the store's own place (the folder's parent; the bucket outside the prefix). */
  strays(): Promise<string[]>;
  done(): Promise<void>;
}

let s3: S3TestServer;
let admin: S3Client;
let scratch: string;
let buckets = 0;

beforeAll(async () => {
  s3 = await startS3Server();
  admin = new S3Client(s3ClientConfig(s3Settings(s3.bucket, '')));
  scratch = await mkdtemp(join(tmpdir(), 'herald-media-spec-'));
});

afterAll(async () => {
  admin?.destroy();
  await s3?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function s3Settings(bucket: string, prefix: string): S3Settings {
  return {
    bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    prefix,
  };
}

async function listBucket(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
    keys.push(...(page.Contents ?? []).map((entry) => entry.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function folderSubject(): Promise<Subject> {
  const base = await mkdtemp(join(scratch, 'folder-'));
  const root = join(base, 'media');
  return {
    store: new FolderMediaStore(root),
    storedKeys: () => filesUnder(root),
    strays: async () => (await filesUnder(base)).filter((path) => !path.startsWith('media/')),
    done: () => rm(base, { recursive: true, force: true }),
  };
}

async function s3Subject(): Promise<Subject> {
  const bucket = `media-${++buckets}-${randomBytes(3).toString('hex')}`;
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  const store = new S3MediaStore(s3Settings(bucket, PREFIX));
  return {
    store,
    storedKeys: async () => {
      const keys = await listBucket(bucket);
      const outside = keys.filter((key) => !key.startsWith(`${PREFIX}/`));
      if (outside.length > 0) throw new Error(`objects outside ${PREFIX}/: ${outside.join(', ')}`);
      return keys.map((key) => key.slice(PREFIX.length + 1));
    },
    strays: async () => (await listBucket(bucket)).filter((key) => !key.startsWith(`${PREFIX}/`)),
    done: async () => store.destroy(),
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file of these bytes in the scratch folder, and its content key. */
async function fileOf(bytes: Buffer): Promise<{ path: string; key: string }> {
  const path = join(scratch, `source-${randomBytes(6).toString('hex')}`);
  await writeFile(path, bytes);
  return { path, key: contentKey(sha256(bytes)) };
}

describe.each([
  ['folder', folderSubject],
  ['s3', s3Subject],
] as const)('%s media store', (_kind, makeSubject) => {
  let subject: Subject;
  let store: MediaStore;

  beforeEach(async () => {
    subject = await makeSubject();
    store = subject.store;
  });

  afterEach(async () => {
    await subject.done();
  });

  it('says which kind it is', () => {
    expect(store.kind).toBe(_kind);
  });

  it('check() resolves on a usable store', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    expect(await subject.storedKeys()).toEqual([]);
  });

  it('stores a file: stat gives its size, read gives its bytes, and it is the only object', async () => {
    const bytes = randomBytes(1000);
    const { path, key } = await fileOf(bytes);
    await store.put(key, path, 'image/png');
    expect(await store.stat(key)).toEqual({ size: 1000 });
    expect((await readAll(await store.read(key))).equals(bytes)).toBe(true);
    expect(await subject.storedKeys()).toEqual([key]);
  });

  it('reads byte ranges: the first byte, the middle, the last byte, the whole file, an empty range', async () => {
    const bytes = randomBytes(4099);
    const { path, key } = await fileOf(bytes);
    await store.put(key, path, 'application/octet-stream');
    const cases: [number, number][] = [
      [0, 1],
      [2000, 2100],
      [4098, 4099],
      [0, 4099],
      [1, 4098],
    ];
    for (const [start, end] of cases) {
      const got = await readAll(await store.read(key, { start, end }));
      expect({ start, end, length: got.length }).toEqual({ start, end, length: end - start });
      expect(got.equals(bytes.subarray(start, end))).toBe(true);
    }
    expect((await readAll(await store.read(key, { start: 7, end: 7 }))).length).toBe(0);
  });

  it('a range past the end gives the bytes there are, and one starting past the end none', async () => {
    const bytes = randomBytes(100);
    const { path, key } = await fileOf(bytes);
    await store.put(key, path, 'application/octet-stream');
    expect((await readAll(await store.read(key, { start: 98, end: 120 }))).equals(bytes.subarray(98))).toBe(true);
    expect((await readAll(await store.read(key, { start: 100, end: 120 }))).length).toBe(0);
    expect((await readAll(await store.read(key, { start: 150, end: 160 }))).length).toBe(0);
  });

  it('a key put twice keeps one object, the first one, and the second put does not fail', async () => {
    const first = await fileOf(randomBytes(300));
    const other = await fileOf(randomBytes(500));
    await store.put(first.key, first.path, 'image/png');
    await expect(store.put(first.key, other.path, 'image/png')).resolves.toBeUndefined();
    expect(await store.stat(first.key)).toEqual({ size: 300 });
    expect(sha256(await readAll(await store.read(first.key)))).toBe(first.key.split('/').pop());
    expect(await subject.storedKeys()).toEqual([first.key]);
  });

  it('a missing key: stat is undefined, read rejects with MediaNotStored (ranged too), delete is fine', async () => {
    const key = contentKey(sha256(Buffer.from('never stored')));
    expect(await store.stat(key)).toBeUndefined();
    const failure = await store.read(key).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MediaNotStored);
    expect((failure as MediaNotStored).key).toBe(key);
    await expect(store.read(key, { start: 0, end: 10 })).rejects.toBeInstanceOf(MediaNotStored);
    await expect(store.read(key, { start: 3, end: 3 })).rejects.toBeInstanceOf(MediaNotStored);
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it('delete removes the object: stat undefined, read rejects, nothing left stored', async () => {
    const kept = await fileOf(randomBytes(64));
    const removed = await fileOf(randomBytes(128));
    await store.put(kept.key, kept.path, 'image/jpeg');
    await store.put(removed.key, removed.path, 'image/jpeg');
    expect(await subject.storedKeys()).toEqual([kept.key, removed.key].sort());
    await store.delete(removed.key);
    expect(await store.stat(removed.key)).toBeUndefined();
    await expect(store.read(removed.key)).rejects.toBeInstanceOf(MediaNotStored);
    expect(await subject.storedKeys()).toEqual([kept.key]);
    expect(await store.stat(kept.key)).toEqual({ size: 64 });
  });

  it('a 5 MB random file round-trips byte for byte (SHA-256), whole and in a range across the middle', async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 17);
    const { path, key } = await fileOf(bytes);
    await store.put(key, path, 'video/mp4');
    expect(await store.stat(key)).toEqual({ size: bytes.length });
    const whole = await readAll(await store.read(key));
    expect(whole.length).toBe(bytes.length);
    expect(sha256(whole)).toBe(sha256(bytes));
    const range = { start: 1_048_573, end: 4_194_307 };
    expect(sha256(await readAll(await store.read(key, range)))).toBe(sha256(bytes.subarray(range.start, range.end)));
  });

  it('refuses keys that would leave its folder or prefix, and writes nothing anywhere for them', async () => {
    const { path } = await fileOf(randomBytes(10));
    for (const key of ['../escape', 'sha256/../../escape', '/tmp/escape', '/escape', '..', '']) {
      await expect(store.put(key, path, 'image/png')).rejects.toThrow(/Not a media key/);
      await expect(store.stat(key)).rejects.toThrow(/Not a media key/);
      await expect(store.read(key)).rejects.toThrow(/Not a media key/);
      await expect(store.delete(key)).rejects.toThrow(/Not a media key/);
    }
    expect(await subject.strays()).toEqual([]);
    expect(await subject.storedKeys()).toEqual([]);
  });

  it('concurrent puts of one key all resolve and leave one correct object', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    const { path, key } = await fileOf(bytes);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => store.put(key, path, 'image/gif')));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await subject.storedKeys()).toEqual([key]);
    expect(await store.stat(key)).toEqual({ size: bytes.length });
    expect(sha256(await readAll(await store.read(key)))).toBe(sha256(bytes));
  });
});

describe('s3 media store, on its own', () => {
  let bucket: string;
  let stores: S3MediaStore[];

  function s3Store(settings: S3Settings): S3MediaStore {
    const store = new S3MediaStore(settings);
    stores.push(store);
    return store;
  }

  beforeEach(async () => {
    stores = [];
    bucket = `solo-${++buckets}-${randomBytes(3).toString('hex')}`;
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterEach(() => {
    for (const store of stores) store.destroy();
  });

  it('check() rejects, naming the bucket and the endpoint, when the bucket does not exist', async () => {
    const store = s3Store(s3Settings('no-such-bucket-here', PREFIX));
    await expect(store.check()).rejects.toThrow(`S3 bucket "no-such-bucket-here" at ${s3.endpoint} cannot be used: it does not exist`);
  });

  // s3rver does not verify V4 signatures (a wrong secret passes), but refuses an unknown access key id.
  it('check() rejects, saying access is denied, with an unknown access key', async () => {
    const store = s3Store({ ...s3Settings(bucket, PREFIX), accessKeyId: 'NOT-A-KEY' });
    await expect(store.check()).rejects.toThrow(`S3 bucket "${bucket}" at ${s3.endpoint} cannot be used: access denied`);
  });

  it('check() rejects, naming the endpoint, when nothing answers there', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const store = s3Store({ ...s3Settings(bucket, PREFIX), endpoint });
    await expect(store.check()).rejects.toThrow(`S3 bucket "${bucket}" at ${endpoint} cannot be used:`);
  });

  it('keeps keys under the prefix, and stores without one or with another prefix do not see them', async () => {
    const { path, key } = await fileOf(randomBytes(32));
    const prefixed = s3Store(s3Settings(bucket, '/herald/media/'));
    await prefixed.put(key, path, 'image/webp');
    expect(await listBucket(bucket)).toEqual([`${PREFIX}/${key}`]);
    expect(await s3Store(s3Settings(bucket, '')).stat(key)).toBeUndefined();
    expect(await s3Store(s3Settings(bucket, 'herald/other')).stat(key)).toBeUndefined();
    expect(await s3Store(s3Settings(bucket, '')).stat(`${PREFIX}/${key}`)).toEqual({ size: 32 });

    const bare = s3Store(s3Settings(bucket, ''));
    await bare.put(key, path, 'image/webp');
    expect(await listBucket(bucket)).toEqual([`${PREFIX}/${key}`, key].sort());
  });

  it('refuses `.` and empty segments too, which some servers resolve away', async () => {
    const { path } = await fileOf(randomBytes(10));
    const store = s3Store(s3Settings(bucket, PREFIX));
    for (const key of ['sha256/./ab', 'sha256//ab', 'sha256/ab/']) {
      await expect(store.put(key, path, 'image/png')).rejects.toThrow(/Not a media key/);
    }
    expect(await listBucket(bucket)).toEqual([]);
  });

  it('cuts the body to the range when a server ignores Range and sends the whole object', async () => {
    const bytes = randomBytes(70_000);
    const whole = () => Readable.from([bytes.subarray(0, 10), bytes.subarray(10, 65_536), bytes.subarray(65_536)]);
    const ignoring = { send: async () => ({ Body: whole() }), destroy: () => undefined } as unknown as S3Client;
    const store = new S3MediaStore(s3Settings(bucket, PREFIX), ignoring);
    for (const [start, end] of [
      [0, 1],
      [5, 15],
      [65_530, 65_540],
      [69_999, 70_000],
      [0, 70_000],
    ] as const) {
      expect((await readAll(await store.read('k', { start, end }))).equals(bytes.subarray(start, end))).toBe(true);
    }
  });

  it('stores the content type given', async () => {
    const { path, key } = await fileOf(randomBytes(32));
    await s3Store(s3Settings(bucket, PREFIX)).put(key, path, 'image/avif');
    const head = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: `${PREFIX}/${key}` }));
    expect(head.ContentType).toBe('image/avif');
    expect(head.ContentLength).toBe(32);
  });
});

describe('createMediaStore', () => {
  it('makes the folder store by default and the S3 store for MEDIA_STORE=s3', () => {
    const common = { maxImageBytes: 1, maxVideoBytes: 1, maxImagePixels: 1, decodeConcurrency: 1, importTimeoutMs: 1, retentionMs: 0, sweepIntervalMs: 1, linkTtlMs: 1, linkKey: Buffer.alloc(32) };
    expect(createMediaStore({ ...common, store: 'folder', dir: scratch })).toBeInstanceOf(FolderMediaStore);
    const s3Store = createMediaStore({ ...common, store: 's3', dir: scratch, s3: s3Settings('herald', '') });
    expect(s3Store).toBeInstanceOf(S3MediaStore);
    expect(s3Store.kind).toBe('s3');
    (s3Store as S3MediaStore).destroy();
    expect(() => createMediaStore({ ...common, store: 's3', dir: scratch })).toThrow(/S3_BUCKET/);
  });
});
