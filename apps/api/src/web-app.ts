/**
 * The web app (apps/web, built by `npm run build` into dist/web), served at `/`
 * by the API: its hashed files under /assets/ as immutable, index.html never
 * cached (so a new release is picked up at the next page load), and any other
 * page path answered with index.html, where the app's router takes over. The
 * API's own paths never fall back to the app: they keep their answers,
 * problem+json 404s included. A hashed file is sent as its brotli or gzip
 * copy (written by the build, apps/web/precompress.mjs) when the browser's
 * Accept-Encoding takes one, with `Vary: Accept-Encoding`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

/** The paths that belong to the API, never to the web app's router. */
export const API_PATH_PREFIXES = ['/v1', '/admin', '/health', '/metrics', '/docs', '/public', '/mcp', '/oauth', '/.well-known'] as const;

/** dist/web, beside dist/apps (this file runs as dist/apps/api/src/web-app.js). */
const DEFAULT_DIR = join(__dirname, '../../../web');

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The precompressed copies the build wrote, best first, and the Content-Encoding each is sent with. */
const ENCODINGS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['encoding'];

/**
 * The copy to send for an Accept-Encoding header: the one the browser rates
 * highest (q-values; `*` for any not named), on a tie the smaller (brotli);
 * none when it takes neither. Browsers list gzip before br at equal rates,
 * so the header's order does not decide.
 */
export function chosenEncoding<T extends { encoding: string }>(header: string | undefined, offered: readonly T[]): T | undefined {
  const rates = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    rates.set(name, q === undefined ? 1 : Number(q) || 0);
  }
  let best: T | undefined;
  let bestRate = 0;
  for (const copy of offered) {
    const rate = rates.get(copy.encoding) ?? rates.get('*') ?? 0;
    if (rate > bestRate) [best, bestRate] = [copy, rate];
  }
  return best;
}

/** Each hashed file's precompressed copies, read once at start (a release replaces dist/ and restarts the API). */
export function precompressedAssets(assetsDir: string): Map<string, Set<Encoding>> {
  const copies = new Map<string, Set<Encoding>>();
  if (!existsSync(assetsDir)) return copies;
  const files = new Set(readdirSync(assetsDir));
  for (const file of files) {
    for (const { encoding, suffix } of ENCODINGS) {
      if (!file.endsWith(suffix)) continue;
      const original = file.slice(0, -suffix.length);
      if (!files.has(original)) continue;
      copies.set(original, (copies.get(original) ?? new Set()).add(encoding));
    }
  }
  return copies;
}

export function isApiPath(path: string): boolean {
  return API_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * The web app's headers: helmet's, with a CSP that lets it show files picked
 * for upload before they are sent (`blob:` images) and that upgrades requests
 * to https only where Herald is reached over https (an http address on a LAN
 * would otherwise load nothing).
 */
export function webAppHeaders(publicUrl: string) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': publicUrl.startsWith('https:') ? [] : null,
      },
    },
  });
}

export function serveWebApp(app: INestApplication, dir = DEFAULT_DIR): void {
  const logger = new Logger('web-app');
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn({ msg: `the web app is not built (${indexFile} is missing): run npm run build; / serves nothing until then` });
    return;
  }
  // Read once: a release replaces dist/ and restarts the API.
  const index = readFileSync(indexFile);
  const files = express.static(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (response, path) => {
      const cache = path.startsWith(join(dir, 'assets')) ? IMMUTABLE : path === indexFile ? 'no-cache' : 'public, max-age=3600';
      response.setHeader('Cache-Control', cache);
    },
  });
  const assetsDir = join(dir, 'assets');
  const compressed = precompressedAssets(assetsDir);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.path)) return next();
    const asset = /^\/assets\/([^/]+)$/.exec(request.path)?.[1];
    const copies = asset ? compressed.get(asset) : undefined;
    if (asset && copies) {
      response.setHeader('Vary', 'Accept-Encoding');
      const offered = ENCODINGS.filter(({ encoding }) => copies.has(encoding));
      const copy = chosenEncoding(request.headers['accept-encoding'], offered);
      if (copy) {
        response.setHeader('Content-Encoding', copy.encoding);
        response.type(asset);
        response.setHeader('Cache-Control', IMMUTABLE);
        return response.sendFile(`${asset}${copy.suffix}`, { root: assetsDir, dotfiles: 'deny' }, (error) => error && next(error));
      }
    }
    files(request, response, () => {
      // A hashed file that is not there (an old page after a release) is a 404, not the app's HTML.
      if (request.path.startsWith('/assets/')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.type('html').send(index);
    });
  });
}
