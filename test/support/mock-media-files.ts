/**
 * Real media files for the mock networks' media tests: images made with
 * sharp, the MP4 fixtures, and a small `node:http` server on 127.0.0.1 that
 * serves them at public URLs (as Herald's API serves its media), with
 * routes that answer 403 or serve bytes under a misleading name.
 */
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';

export const clip = readFileSync(join(__dirname, '../fixtures/clip.mp4'));
export const long = readFileSync(join(__dirname, '../fixtures/long.mp4'));

/** A solid-colour image in this format and size. */
export function image(format: 'png' | 'jpeg' | 'gif' | 'webp', width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .toFormat(format)
    .toBuffer();
}

/** The file grown to `size` bytes by trailing padding (its type and dimensions still read from its head). */
export function padded(file: Buffer, size: number): Buffer {
  return Buffer.concat([file, Buffer.alloc(Math.max(0, size - file.length))]);
}

/** An MP4 grown to `size` bytes by a trailing `free` box, still a valid movie. */
export function paddedMp4(file: Buffer, size: number): Buffer {
  const box = Buffer.alloc(size - file.length);
  box.writeUInt32BE(box.length, 0);
  box.write('free', 4, 'latin1');
  return Buffer.concat([file, box]);
}

export interface Route {
  status?: number;
  type: string;
  body: Buffer | string;
}

export interface FileServer {
  url(path: string): string;
  /** The paths requested so far, in order. */
  requested: string[];
  close(): Promise<void>;
}

export async function startFileServer(routes: Record<string, Route>): Promise<FileServer> {
  const requested: string[] = [];
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requested.push(path);
    const route = routes[path];
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(route.status ?? 200, { 'content-type': route.type }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requested,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
