import { createHmac } from 'node:crypto';
import { loadConfig } from '@herald/config';
import { MEDIA_SLICE, mediaConfig } from './media-config';

/** The media slice as an environment gives it, read the way a process reads it. */
function media(env: Record<string, string>) {
  return mediaConfig(loadConfig(env));
}

describe('the media slice of the configuration', () => {
  it('reads how long unused media stay and how often the sweep runs; MEDIA_RETENTION=0 keeps them for ever', () => {
    expect(media({})).toMatchObject({ retentionMs: 30 * 86_400_000, sweepIntervalMs: 60_000 });
    expect(media({ MEDIA_RETENTION: '3s', MEDIA_SWEEP_INTERVAL: '500ms' })).toMatchObject({ retentionMs: 3000, sweepIntervalMs: 500 });
    expect(media({ MEDIA_RETENTION: '0' }).retentionMs).toBe(0);
    expect(media({ MEDIA_RETENTION: '90d' }).retentionMs).toBe(90 * 86_400_000);
    // A sweep every few milliseconds would only load the database; a negative or unreadable retention is refused, not read as "never".
    expect(() => media({ MEDIA_SWEEP_INTERVAL: '50ms' })).toThrow(/MEDIA_SWEEP_INTERVAL/);
    expect(() => media({ MEDIA_RETENTION: '-1s' })).toThrow(/MEDIA_RETENTION/);
    expect(() => media({ MEDIA_RETENTION: 'forever' })).toThrow(/MEDIA_RETENTION/);
  });

  it('caps decoded images at 64 MP, two at a time, unless told otherwise', () => {
    expect(media({})).toMatchObject({ maxImagePixels: 64_000_000, decodeConcurrency: 2 });
    expect(media({ MEDIA_MAX_MEGAPIXELS: '100', MEDIA_DECODE_CONCURRENCY: '1' })).toMatchObject({ maxImagePixels: 100_000_000, decodeConcurrency: 1 });
  });

  it('names MEDIA_MAX_MEGAPIXELS and MEDIA_DECODE_CONCURRENCY when they are out of range', () => {
    for (const bad of ['0', '269', '1.5', 'lots']) expect(() => media({ MEDIA_MAX_MEGAPIXELS: bad })).toThrow(/MEDIA_MAX_MEGAPIXELS must be an integer from 1 to 268/);
    for (const bad of ['0', '65']) expect(() => media({ MEDIA_DECODE_CONCURRENCY: bad })).toThrow(/MEDIA_DECODE_CONCURRENCY/);
  });

  it('keeps files in a folder unless told S3, and names what S3 needs', () => {
    expect(media({})).toMatchObject({ store: 'folder', dir: '.data/media' });
    expect(media({ MEDIA_STORE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000/' }).s3).toEqual({ bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, prefix: '' });
    expect(() => loadConfig({ MEDIA_STORE: 's3', S3_ACCESS_KEY_ID: 'a' }, [MEDIA_SLICE])).toThrow(/S3_BUCKET is required when MEDIA_STORE=s3[\s\S]*S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/);
  });

  it("signs links with a key derived from the config's first encryption key, unless MEDIA_LINK_SECRET gives one", () => {
    const key = Buffer.alloc(32, 7);
    const derived = createHmac('sha256', key).update('herald media links').digest();
    expect(media({ HERALD_ENCRYPTION_KEY: key.toString('base64') }).linkKey).toEqual(derived);
    expect(media({ HERALD_ENCRYPTION_KEY: key.toString('base64'), MEDIA_LINK_SECRET: 'given' }).linkKey).toEqual(Buffer.from('given'));
  });
});
