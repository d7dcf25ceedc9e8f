/**
 * The web app (apps/web, built by `npm run build` into dist/web), served at `/`
 * by the API: its hashed files under /assets/ as immutable, index.html never
 * cached (so a new release is picked up at the next page load), and any other
 * page path answered with index.html, where the app's router takes over. The
 * API's own paths never fall back to the app: they keep their answers,
 * problem+json 404s included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

/** The paths that belong to the API, never to the web app's router. */
export const API_PATH_PREFIXES = ['/v1', '/admin', '/health', '/metrics', '/docs', '/public'] as const;

/** dist/web, beside dist/apps (this file runs as dist/apps/api/src/web-app.js). */
const DEFAULT_DIR = join(__dirname, '../../../web');

const IMMUTABLE = 'public, max-age=31536000, immutable';

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
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.path)) return next();
    files(request, response, () => {
      // A hashed file that is not there (an old page after a release) is a 404, not the app's HTML.
      if (request.path.startsWith('/assets/')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.type('html').send(index);
    });
  });
}
