/**
 * One Fastify server per origin (each network, each Mastodon instance, the
 * PLC directory, the control surface), without Nest's per-request layers:
 * the mock shares the benchmark's two cores with what it measures. Bodies:
 * JSON (an empty one is `{}`), url-encoded and multipart forms, and any
 * other type as raw bytes (Bluesky's uploadBlob).
 */
import Fastify, { FastifyInstance } from 'fastify';
import { FILES } from './answer';
import { parseMultipart, parseUrlEncoded } from './forms';

/** How one network words its errors and its rate limits. */
export interface ErrorFormat {
  body(status: number, kind: ErrorKind, message: string): unknown;
  /** The status the network uses for content it refuses (400 or 422). */
  invalidStatus: number;
  /** The network's rate-limit headers for this state of a budget, as the network sends them (none on LinkedIn). */
  rateLimitHeaders(state: RateLimitState): Record<string, string>;
  /** The limit a fault's 429 announces when no budget applies: the network's usual one for posting. */
  usualLimit: { limit: number; windowSeconds: number };
  /** What the network's 429 says (the mock's default: "Too Many Requests"). */
  rateLimitedMessage?: string;
}

/** One account's rate-limit window as the headers tell it. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window ends and the budget is whole again. */
  resetAtMs: number;
  windowSeconds: number;
}

export type ErrorKind = 'invalid' | 'rate_limited' | 'server_error' | 'not_found';

export const BODY_LIMIT = 16 * 1024 * 1024;

/** `bodyLimit`: the largest body taken (a network's own media limit must fit under it, so the network answers it, not the server). */
export function createOriginServer(format: ErrorFormat, notFound?: (url: string) => { status: number; body: unknown }, bodyLimit = BODY_LIMIT): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit, forceCloseConnections: true, routerOptions: { ignoreTrailingSlash: true } });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parseUrlEncoded(String(body))));
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const parsed = parseMultipart(body as Buffer, String(request.headers['content-type']));
    if (!parsed) return done(Object.assign(new Error('Malformed multipart body'), { statusCode: 400 }), undefined);
    done(null, Object.assign(parsed.fields, { [FILES]: parsed.files }));
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) console.error(error);
    void reply.status(status).send(format.body(status, status === 500 ? 'server_error' : 'invalid', status === 500 ? 'Internal Server Error' : (error.message ?? 'Bad Request')));
  });
  app.setNotFoundHandler((request, reply) => {
    const answer = notFound?.(request.url) ?? { status: 404, body: format.body(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`) };
    void reply.status(answer.status).send(answer.body);
  });
  return app;
}
