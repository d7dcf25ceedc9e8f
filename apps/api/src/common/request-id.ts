import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Every request gets an id (the caller's `X-Request-Id` if it is sane), echoed back and carried into the worker. */
export function requestId(request: Request & { id?: string }, response: Response, next: NextFunction): void {
  const given = request.header('x-request-id');
  request.id = given && SAFE_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', request.id);
  next();
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

const MULTIPART_TYPE = /^multipart\/form-data\s*;/i;
/** OAuth's own endpoints (the token request, the consent form) take forms, as OAuth says. */
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The one route that takes files: `POST /v1/media` (multipart/form-data). */
function takesFiles(request: Request): boolean {
  return request.method === 'POST' && /^\/v1\/media\/?(\?|$)/.test(request.originalUrl);
}

const CSV_TYPE = /^text\/csv\s*(;|$)/i;

/** The one route that takes CSV: `POST /v1/posts/import`. */
function takesCsv(request: Request): boolean {
  return request.method === 'POST' && /^\/v1\/posts\/import\/?(\?|$)/.test(request.originalUrl);
}

/** A body that is not JSON (or, where files are uploaded, multipart) is refused before anything reads it: 415, as problem+json. */
export function requireJsonBody(request: Request & { id?: string }, response: Response, next: NextFunction): void {
  const hasBody = Number(request.header('content-length') ?? 0) > 0 || request.header('transfer-encoding') !== undefined;
  const type = request.header('content-type') ?? '';
  if (!hasBody || JSON_TYPE.test(type) || ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method)) return next();
  if (MULTIPART_TYPE.test(type) && takesFiles(request)) return next();
  if (FORM_TYPE.test(type) && request.path.startsWith('/oauth/')) return next();
  if (CSV_TYPE.test(type) && takesCsv(request)) return next();
  response
    .status(415)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'https://herald.dev/problems/unsupported-media-type',
        title: 'Unsupported media type',
        status: 415,
        detail: takesFiles(request)
          ? `Send the file as multipart/form-data (a "file" part), or JSON {"url": ...} to import one (got "${type.slice(0, 100)}")`
          : takesCsv(request)
            ? `Send the file with "Content-Type: text/csv" (got "${type.slice(0, 100)}")`
            : `Send JSON with "Content-Type: application/json" (got "${type.slice(0, 100)}")`,
        instance: request.originalUrl.split('?')[0],
        requestId: request.id,
      }),
    );
}
