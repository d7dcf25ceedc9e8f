/**
 * Media for the tests: real image files made with sharp (PNG, JPEG, GIF,
 * WebP, a photo-like JPEG of several megabytes), the MP4 fixtures, an
 * upload helper (multipart, as a browser sends it), and a file server on a
 * loopback address of its own (127.0.0.2) for imports by URL, with routes
 * that redirect, lie about names, fail or vanish.
 */
import { createServer, Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { HttpAnswer } from './http';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const CLIP_MP4 = readFileSync(join(FIXTURES, 'clip.mp4'));
export const LONG_MP4 = readFileSync(join(FIXTURES, 'long.mp4'));
/** 320×240, 4.0 s: long enough for LinkedIn and Instagram (at least 3 s). */
export const CLIP4S_MP4 = readFileSync(join(FIXTURES, 'clip4s.mp4'));

/** A still image of the type, `width`×`height`, with a gradient so encoders have something to keep. */
export async function image(type: 'png' | 'jpeg' | 'gif' | 'webp', width = 640, height = 480): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      pixels[at] = (x * 255) / width;
      pixels[at + 1] = (y * 255) / height;
      pixels[at + 2] = ((x + y) * 127) / (width + height);
    }
  }
  const raw = sharp(pixels, { raw: { width, height, channels: 3 } });
  return type === 'png' ? raw.png().toBuffer() : type === 'jpeg' ? raw.jpeg({ quality: 90 }).toBuffer() : type === 'gif' ? raw.gif().toBuffer() : raw.webp().toBuffer();
}

/** A photo-like JPEG (noise does not compress) of at least `minBytes`. */
export async function bigPhoto(minBytes: number, width = 4000, height = 3000): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let index = 0; index < pixels.length; index += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[index] = seed >> 16;
  }
  const photo = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  if (photo.length < minBytes) throw new Error(`made a ${photo.length}-byte photo, wanted ${minBytes}`);
  return photo;
}

/** POST /v1/media with one file part, as a browser's FormData sends it. */
export async function upload(apiUrl: string, apiKey: string, bytes: Buffer, filename: string, type: string, field = 'file'): Promise<HttpAnswer> {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), filename);
  const response = await fetch(`${apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

export interface FileServer {
  url: string;
  /** Serves `bytes` at `path` with `type`, until removed. */
  put(path: string, bytes: Buffer, type: string): void;
  remove(path: string): void;
  /** `path` redirects (302) to `location`. */
  redirect(path: string, location: string): void;
  /** How many times each path was fetched. */
  hits: Map<string, number>;
  stop(): Promise<void>;
}

/** On 127.0.0.2: tests allowlist that address (HERALD_URL_ALLOWLIST) while 127.0.0.1 stays refused. */
export async function startFileServer(host = '127.0.0.2'): Promise<FileServer> {
  const files = new Map<string, { bytes: Buffer; type: string }>();
  const redirects = new Map<string, string>();
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const location = redirects.get(path);
    if (location) {
      response.writeHead(302, { location }).end();
      return;
    }
    const file = files.get(path);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('gone');
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length }).end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    put: (path, bytes, type) => files.set(path, { bytes, type }),
    remove: (path) => files.delete(path),
    redirect: (path, location) => redirects.set(path, location),
    hits,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
