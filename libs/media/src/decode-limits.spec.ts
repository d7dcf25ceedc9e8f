import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { DecodeGate, checkPixels } from './decode-limits';
import { MediaRefused } from './media-errors';
import { probeFile } from './probe';

/** A PNG whose header says `width`×`height` (RGB), with `rows` rows of pixel data: enough for its header to be read. */
function pngHeaderOf(width: number, height: number, rows = 1): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const framed = Buffer.alloc(body.length + 8);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return framed;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const data = deflateSync(Buffer.alloc(rows * (1 + width * 3)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]);
}

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('decode limits', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-decode-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an image over the pixel cap, naming its size and the cap, and takes one at the cap', () => {
    const limits = { maxImagePixels: 64_000_000 };
    expect(() => checkPixels(8000, 8000, limits)).not.toThrow();
    let refused: unknown;
    try {
      checkPixels(16000, 16000, limits);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MediaRefused);
    expect(refused).toMatchObject({ status: 422, code: 'media_too_many_pixels' });
    expect((refused as Error).message).toBe('The image is 16000×16000 pixels (256 MP); Herald takes images of at most 64 MP (width × height): scale it down and upload it again');
  });

  it('refuses a 16000×16000 PNG from its header alone: the gate is never entered, so nothing is decoded', async () => {
    const path = join(dir, 'huge.png');
    // Its header says 16000×16000 but it holds one row: decoding it would fail as unreadable, not as too large.
    await writeFile(path, pngHeaderOf(16000, 16000));
    const gate = new DecodeGate(1);
    const run = jest.spyOn(gate, 'run');
    await expect(probeFile(path, 'image/png', { maxImagePixels: 64_000_000, gate })).rejects.toMatchObject({ status: 422, code: 'media_too_many_pixels' });
    expect(run).not.toHaveBeenCalled();
  });

  it('decodes an image within the cap through the gate', async () => {
    const path = join(dir, 'small.png');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toFile(path);
    const gate = new DecodeGate(1);
    const run = jest.spyOn(gate, 'run');
    expect(await probeFile(path, 'image/png', { maxImagePixels: 64_000_000, gate })).toMatchObject({ kind: 'image', width: 40, height: 30 });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs at most its slots at once, the rest in the order they came', async () => {
    const gate = new DecodeGate(2);
    const releases = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const finished = releases.map((release, index) =>
      gate.run(async () => {
        started.push(index);
        await release.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    releases[1]!.resolve();
    await finished[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    releases[0]!.resolve();
    releases[2]!.resolve();
    releases[3]!.resolve();
    expect(await Promise.all(finished)).toEqual([0, 1, 2, 3]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives its slot back when the work fails', async () => {
    const gate = new DecodeGate(1);
    await expect(gate.run(() => Promise.reject(new Error('corrupt')))).rejects.toThrow('corrupt');
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});
