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

/** The one route that takes files: `POST /v1/media` (multipart/form-data). */
function takesFiles(request: Request): boolean {
  return request.method === 'POST' && /^\/v1\/media\/?(\?|$)/.test(request.originalUrl);
}

/** A body that is not JSON (or, where files are uploaded, multipart) is refused before anything reads it: 415, as problem+json. */
export function requireJsonBody(request: Request & { id?: string }, response: Response, next: NextFunction): void {
  const hasBody = Number(request.header('content-length') ?? 0) > 0 || request.header('transfer-encoding') !== undefined;
  const type = request.header('content-type') ?? '';
  if (!hasBody || JSON_TYPE.test(type) || ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method)) return next();
  if (MULTIPART_TYPE.test(type) && takesFiles(request)) return next();
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
          : `Send JSON with "Content-Type: application/json" (got "${type.slice(0, 100)}")`,
        instance: request.originalUrl.split('?')[0],
        requestId: request.id,
      }),
    );
}
