/** An answer as the mock's handlers return it, and the request's parts as they read them. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UploadedFile } from './forms';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function send(reply: FastifyReply, answer: Answer): void {
  reply.status(answer.status);
  if (answer.headers) reply.headers(answer.headers);
  if (answer.body === undefined) reply.send();
  else reply.send(answer.body);
}

/** A request header as one string (the first, if sent twice). */
export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The query string's parameters (the first of a repeated one). */
export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const query = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) out[key] = Array.isArray(value) ? value[0] : value;
  return out;
}

/** The body's fields, whether JSON, a form or multipart (a multipart body's files under `files`). */
export function fieldsOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) return {};
  return body as Record<string, unknown>;
}

export function filesOf(request: FastifyRequest): UploadedFile[] {
  const files = (request.body as { [FILES]?: UploadedFile[] } | undefined)?.[FILES];
  return files ?? [];
}

/** Where a multipart body keeps its files (a symbol, so no form field can pose as one). */
export const FILES = Symbol('files');

/** A string field, or undefined. */
export function stringField(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
