/**
 * The adapters' one way to call a network: undici's `request` over a shared
 * keep-alive pool, with a timeout, failures of the connection itself mapped
 * to the taxonomy. Whether a failure is ambiguous (the network may have
 * acted) is decided here, from how the call died; what a network's error
 * *answer* means is decided in its adapter.
 *
 * Not `fetch`: its streams, abort signals and Headers objects made up a
 * quarter of the worker's CPU per delivery in the benchmark (see README).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { Agent, Dispatcher, request as undiciRequest } from 'undici';
import { NetworkError } from '../errors';
import { refusalOf } from '../outbound';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (OAuth token endpoints). */
  form?: Record<string, string>;
  /** Sent as is, with its own content type (a blob upload). */
  raw?: { bytes: Uint8Array; contentType: string };
  /** Sent as `multipart/form-data` (a media upload): text fields, then files. */
  multipart?: Multipart;
  /** Sent as `multipart/form-data`, read from the file as it goes (a large video): text fields, then one file. */
  streamedMultipart?: StreamedMultipart;
  headers?: Record<string, string>;
  timeoutMs: number;
  /**
   * The connections to use: the URL policy's (`Outbound`) for a host a user
   * gave; this process's shared pool otherwise.
   */
  dispatcher?: Dispatcher;
  /** The most of an answer read: more fails the call (a host a user gave may answer without end). */
  maxBytes?: number;
}

export interface Multipart {
  fields?: Record<string, string>;
  files: { field: string; filename: string; contentType: string; bytes: Uint8Array }[];
}

/** One file sent without holding it whole: its size, and its bytes from `start` to `end` (exclusive) read as they are sent. */
export interface StreamedMultipart {
  fields?: Record<string, string>;
  file: { field: string; filename: string; contentType: string; size: number; readRange(start: number, end: number): Promise<Uint8Array> };
}

/** How much of a streamed file is read at a time. */
const STREAM_PIECE_BYTES = 4 * 1024 * 1024;

/** The answer's headers, looked up case-insensitively. */
export interface ReplyHeaders {
  get(name: string): string | null;
}

export interface HttpReply {
  status: number;
  headers: ReplyHeaders;
  body: unknown;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** One pool per process: connections to each network are kept open between calls. */
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });

export async function call(request: HttpCall): Promise<HttpReply> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let payload: string | Uint8Array | undefined;
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(request.body);
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(request.form).toString();
  } else if (request.raw !== undefined) {
    headers['content-type'] = request.raw.contentType;
    payload = request.raw.bytes;
  } else if (request.multipart !== undefined) {
    const encoded = encodeMultipart(request.multipart);
    headers['content-type'] = encoded.contentType;
    payload = encoded.bytes;
  }
  let streamed: Readable | undefined;
  if (request.streamedMultipart !== undefined) {
    const encoded = streamMultipart(request.streamedMultipart);
    headers['content-type'] = encoded.contentType;
    headers['content-length'] = String(encoded.length);
    streamed = Readable.from(encoded.body, { objectMode: false });
  }
  let text: string;
  let status: number;
  let raw: Record<string, string | string[] | undefined>;
  // One deadline for the whole call, answer included: a trickling body must not outlive the claim's lease.
  // (An EventEmitter is a signal undici accepts, and costs far less than an AbortSignal per call.)
  const signal = new EventEmitter();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    signal.emit('abort');
  }, request.timeoutMs);
  try {
    const response = await undiciRequest(request.url, {
      dispatcher: request.dispatcher ?? agent,
      method: request.method,
      headers,
      body: streamed ?? payload,
      signal,
    });
    status = response.statusCode;
    raw = response.headers;
    text = request.maxBytes === undefined ? await response.body.text() : await cappedText(response.body, request.maxBytes);
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    throw connectionFailure(timedOut ? 'timeout' : error, request);
  } finally {
    clearTimeout(deadline);
  }
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text; // keep the text: some errors are plain
    }
  }
  return { status, headers: { get: (name) => first(raw[name.toLowerCase()]) }, body };
}

/** A multipart/form-data body (RFC 7578): each field, then each file with its name and type. */
export function encodeMultipart(form: Multipart): { contentType: string; bytes: Buffer } {
  const boundary = `----herald${randomBytes(12).toString('hex')}`;
  const quoted = (value: string) => value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(form.fields ?? {})) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`));
  }
  for (const file of form.files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(parts) };
}

/** A multipart/form-data body of fields and one file, its length known before a byte is read, the file read piece by piece as it is sent. */
export function streamMultipart(form: StreamedMultipart): { contentType: string; length: number; body: AsyncIterable<Uint8Array> } {
  const boundary = `----herald${randomBytes(12).toString('hex')}`;
  const quoted = (value: string) => value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));
  const { file } = form;
  const head = Buffer.concat([
    ...Object.entries(form.fields ?? {}).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`)),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`),
  ]);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body(): AsyncIterable<Uint8Array> {
    yield head;
    for (let start = 0; start < file.size; start += STREAM_PIECE_BYTES) yield await file.readRange(start, Math.min(file.size, start + STREAM_PIECE_BYTES));
    yield tail;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, length: head.length + file.size + tail.length, body: body() };
}

function first(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** An answer's text, refused past `maxBytes`. */
async function cappedText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new NetworkError('rejected', 'answer_too_large', `The answer was larger than ${maxBytes} bytes`, { ambiguous: true });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function connectionFailure(error: unknown, request: HttpCall): NetworkError {
  const refused = refusalOf(error);
  if (refused) return new NetworkError('rejected', 'address_refused', `The host ${refused}: Herald does not call it (HERALD_URL_ALLOWLIST)`, { ambiguous: false });
  if (error === 'timeout') {
    return new NetworkError('transient', 'timeout', `No answer within ${request.timeoutMs} ms`, { ambiguous: true });
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code && NOT_SENT.has(code)) {
    return new NetworkError('transient', 'connection_refused', `Could not connect (${code})`, { ambiguous: false });
  }
  return new NetworkError('transient', 'connection_lost', `The connection closed before an answer (${code ?? String(error)})`, {
    ambiguous: true,
  });
}

/** Seconds or an HTTP date in `Retry-After`, or epoch seconds in `x-rate-limit-reset`, as milliseconds from now. */
export function retryAfterMs(headers: ReplyHeaders, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

/** What an answer said of the caller's rate-limit budget. */
export interface RateLimitReading {
  remaining: number;
  resetAt: Date;
  limit?: number;
}

/** The budget headers each network sends, lower-cased: X, then Mastodon, then Bluesky (the IETF draft's names). */
const BUDGET_HEADERS = [
  ['x-rate-limit-remaining', 'x-rate-limit-reset', 'x-rate-limit-limit'],
  ['x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-limit'],
  ['ratelimit-remaining', 'ratelimit-reset', 'ratelimit-limit'],
] as const;

/**
 * The rate-limit budget an answer reports, whichever network's names it
 * uses. A reset is read as epoch seconds (X, Bluesky), an ISO-8601 time
 * (Mastodon), or, when it is a small number, seconds from now (the IETF
 * draft's delta).
 */
export function rateLimitOf(headers: ReplyHeaders, now: number = Date.now()): RateLimitReading | undefined {
  for (const [remainingName, resetName, limitName] of BUDGET_HEADERS) {
    const remaining = headers.get(remainingName);
    const reset = headers.get(resetName);
    if (remaining === null || reset === null) continue;
    const left = Number(remaining);
    const resetAt = resetTime(reset.trim(), now);
    if (!Number.isFinite(left) || resetAt === undefined) return undefined;
    const limit = Number(headers.get(limitName));
    return { remaining: left, resetAt, ...(Number.isFinite(limit) && limit > 0 ? { limit } : {}) };
  }
  return undefined;
}

function resetTime(value: string, now: number): Date | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const number = Number(value);
    return new Date(number > 1e9 ? number * 1000 : now + number * 1000);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : new Date(date);
}

/**
 * The usual mapping of an HTTP error answer, for a network's adapter to use
 * with the reason it read from its own error body.
 */
export function classifyAnswer(reply: HttpReply, reason: string, authFailed: boolean): NetworkError {
  const { status } = reply;
  if (status === 429) {
    return new NetworkError('rate_limited', 'rate_limited', reason || 'Rate limited', { httpStatus: status, retryAfterMs: retryAfterMs(reply.headers) });
  }
  if (status >= 500) return new NetworkError('transient', `http_${status}`, reason || `HTTP ${status}`, { httpStatus: status });
  if (status === 401 || authFailed) return new NetworkError('auth_revoked', 'auth_revoked', reason || 'The access token was revoked', { httpStatus: status });
  if (status === 408) return new NetworkError('transient', 'http_408', reason || 'Request timeout', { httpStatus: status, ambiguous: true });
  return new NetworkError('rejected', status === 403 ? 'forbidden' : 'content_rejected', reason || `HTTP ${status}`, { httpStatus: status });
}

export function isSuccess(reply: HttpReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

/** Picks a string field out of an unknown JSON body. */
export function field(body: unknown, ...path: string[]): string | undefined {
  let value: unknown = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function list(body: unknown, ...path: string[]): unknown[] {
  let value: unknown = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return [];
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) ? value : [];
}
