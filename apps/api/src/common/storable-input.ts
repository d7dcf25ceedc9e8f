/**
 * The edge's rule for text: a request whose URL path, query string or JSON
 * body holds a string Postgres cannot store (U+0000, an unpaired surrogate),
 * or percent-encoding that is not UTF-8, is refused with a 400 that names
 * each such field and character, before routing, guards, validation or any
 * query. It runs once per request, after the JSON parser, so every route,
 * present and future, inherits it.
 *
 * Nothing is replaced: what people send is theirs to fix, and an identifier
 * changed behind their back would name something else.
 */
import type { NextFunction, Request, Response } from 'express';
import { describeUnstorable, findUnstorable } from '@herald/db';
import { WITHOUT_UNICODE_ESCAPES } from './json-body-limits';
import { FieldError, MalformedRequest } from './problems';

/** A body of 10,000 NULs gets the first few, not 10,000 errors. */
const MAX_REPORTED = 20;

export function refuseUnstorableInput(request: Request & { [WITHOUT_UNICODE_ESCAPES]?: boolean }, _response: Response, next: NextFunction): void {
  const body = request[WITHOUT_UNICODE_ESCAPES] ? [] : bodyErrors(request.body as unknown);
  const errors = [...pathErrors(request.path), ...queryErrors(request.originalUrl), ...body].slice(0, MAX_REPORTED);
  if (errors.length === 0) return next();
  next(new MalformedRequest(errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors));
}

/** The URL path, segment by segment as the router will decode them; problems are named `path`. */
export function pathErrors(path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const segment of path.split('/')) {
    const problem = urlTextProblem(segment);
    if (problem) errors.push({ path: 'path', message: `segment "${segment.slice(0, 80)}" ${problem}` });
  }
  return errors;
}

/**
 * The raw query string, read strictly: Express's parser turns bytes that are
 * not UTF-8 into U+FFFD without a word, so each name and value is decoded
 * here first. Problems are named `query.<name>`.
 */
export function queryErrors(url: string): FieldError[] {
  const start = url.indexOf('?');
  if (start === -1) return [];
  const errors: FieldError[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decodeStrictly(rawName) ?? rawName;
    const nameProblem = urlTextProblem(rawName);
    if (nameProblem) errors.push({ path: `query.${name}`, message: `the parameter's name ${nameProblem}` });
    const valueProblem = equals === -1 ? undefined : urlTextProblem(pair.slice(equals + 1));
    if (valueProblem) errors.push({ path: `query.${name}`, message: valueProblem });
  }
  return errors;
}

/**
 * Every string of a parsed JSON body, field names included, walked without
 * recursion. Paths read as the validator's do: `text`, `media[0].alt`,
 * `variants.<channelId>`, `posts[3].text`; built only for the fields refused.
 */
export function bodyErrors(body: unknown): FieldError[] {
  if (body === null || typeof body !== 'object') return [];
  const errors: FieldError[] = [];
  const pending: Frame[] = [{ value: body, key: '', parent: undefined }];
  for (let frame = pending.pop(); frame && errors.length < MAX_REPORTED; frame = pending.pop()) {
    const container = frame.value as Record<string, unknown>;
    const isArray = Array.isArray(container);
    const children: Frame[] = [];
    for (const key of Object.keys(container)) {
      if (errors.length >= MAX_REPORTED) break;
      const item = container[key];
      if (!isArray) {
        const inName = textProblem(key);
        if (inName) errors.push({ path: pathOf({ value: item, key, parent: frame }), message: `the field's name ${inName}` });
      }
      if (typeof item === 'string') {
        const inValue = textProblem(item);
        if (inValue) errors.push({ path: pathOf({ value: item, key: isArray ? Number(key) : key, parent: frame }), message: inValue });
      } else if (item !== null && typeof item === 'object') {
        children.push({ value: item, key: isArray ? Number(key) : key, parent: frame });
      }
    }
    // Last pushed, first walked: reversed, the fields are reported in the order they were sent.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index]!);
  }
  return errors.slice(0, MAX_REPORTED);
}

interface Frame {
  value: unknown;
  /** Its key in its parent: a field name, or an index. */
  key: string | number;
  parent: Frame | undefined;
}

function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key), '');
}

function textProblem(text: string): string | undefined {
  const found = findUnstorable(text);
  return found ? `contains ${describeUnstorable(found)} at index ${found.index}, which cannot be stored` : undefined;
}

/** A part of a URL: percent-encoding that decodes to UTF-8, and to storable text. */
function urlTextProblem(raw: string): string | undefined {
  if (!raw.includes('%')) return undefined;
  const decoded = decodeStrictly(raw);
  if (decoded === undefined) return 'is not valid percent-encoding of UTF-8 text';
  return textProblem(decoded);
}

/** `decodeURIComponent` refuses truncated, overlong and surrogate sequences: undefined for those. */
function decodeStrictly(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
