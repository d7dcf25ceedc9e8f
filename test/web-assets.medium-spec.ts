/**
 * The web app's hashed files, sent precompressed: the brotli or gzip copy
 * the build wrote, chosen from Accept-Encoding (q-values honoured), with
 * `Vary: Accept-Encoding`, the file's own type and a year's cache; the body
 * decodes to the file. A file without copies, and index.html, as before.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { serveWebApp } from '../apps/api/src/web-app';

@Module({})
class NothingModule {}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, which (unlike fetch) hands the body over as sent. */
function raw(url: string, headers: Record<string, string>, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('precompressed web assets', () => {
  let app: INestApplication;
  let base: string;
  let dir: string;
  const script = Buffer.from(`export const words = ${JSON.stringify('the calendar, the compose page and the queue '.repeat(200))};\n`);
  const style = Buffer.from(`.a { color: red; }\n`.repeat(100));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets/index-Ab12Cd34.js'), script);
    writeFileSync(join(dir, 'assets/index-Ab12Cd34.js.br'), brotliCompressSync(script));
    writeFileSync(join(dir, 'assets/index-Ab12Cd34.js.gz'), gzipSync(script));
    // Only a gzip copy.
    writeFileSync(join(dir, 'assets/index-Ef56Gh78.css'), style);
    writeFileSync(join(dir, 'assets/index-Ef56Gh78.css.gz'), gzipSync(style));
    writeFileSync(join(dir, 'assets/tiny-Ij90Kl12.js'), 'export {};\n');
    app = await NestFactory.create(NothingModule, { logger: false });
    serveWebApp(app, dir);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the brotli copy to a browser that takes it, gzip to one that takes only gzip, the file to one that takes neither', async () => {
    const br = await raw(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect([br.status, br.headers['content-encoding'], br.headers.vary, br.headers['cache-control']]).toEqual([200, 'br', 'Accept-Encoding', 'public, max-age=31536000, immutable']);
    expect(br.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(Number(br.headers['content-length'])).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(br.body).equals(script)).toBe(true);

    const gz = await raw(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'gzip' });
    expect([gz.headers['content-encoding'], gz.headers.vary]).toEqual(['gzip', 'Accept-Encoding']);
    expect(gunzipSync(gz.body).equals(script)).toBe(true);

    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const plain = await raw(`${base}/assets/index-Ab12Cd34.js`, accept ? { 'accept-encoding': accept } : {});
      expect([accept, plain.status, plain.headers['content-encoding'], plain.headers.vary]).toEqual([accept, 200, undefined, 'Accept-Encoding']);
      expect(plain.body.equals(script)).toBe(true);
    }
    // The browser's preference by q-value wins over the server's order.
    const preferred = await raw(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'br;q=0.5, gzip;q=1' });
    expect(preferred.headers['content-encoding']).toBe('gzip');
  });

  it('sends the copies there are, answers HEAD alike, and leaves files without copies and the page as they were', async () => {
    const css = await raw(`${base}/assets/index-Ef56Gh78.css`, { 'accept-encoding': 'br, gzip' });
    expect([css.headers['content-encoding'], css.headers['content-type']]).toEqual(['gzip', 'text/css; charset=utf-8']);
    expect(gunzipSync(css.body).equals(style)).toBe(true);
    const head = await raw(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'br' }, 'HEAD');
    expect([head.status, head.headers['content-encoding'], head.body.length]).toEqual([200, 'br', 0]);
    const tiny = await raw(`${base}/assets/tiny-Ij90Kl12.js`, { 'accept-encoding': 'br, gzip' });
    expect([tiny.status, tiny.headers['content-encoding'], tiny.body.toString()]).toEqual([200, undefined, 'export {};\n']);
    const page = await raw(`${base}/calendar`, { 'accept-encoding': 'br, gzip' });
    expect([page.status, page.headers['content-encoding'], page.headers['cache-control']]).toEqual([200, undefined, 'no-cache']);
    expect(page.body.toString()).toContain('<div id="root">');
    expect((await raw(`${base}/assets/missing-00000000.js`, { 'accept-encoding': 'br' })).status).toBe(404);
  });
});
