/**
 * What a JSON body must be before it is parsed: UTF-8, and nested no deeper
 * than MAX_JSON_DEPTH. It runs as the JSON parser's `verify` hook, on the raw
 * bytes, before JSON.parse: a body of 50,000 nested arrays parses (V8's parser
 * does not recurse), but every step after it that walks the value does
 * (class-transformer, the validator, JSON.stringify), and overflows the stack.
 * Counting brackets here is one loop over the bytes, whatever the depth.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MalformedRequest, UnsupportedMediaType } from './problems';

/** Far above anything the contract nests: a bulk post's media item, `{"posts": [{"media": [{...}]}]}`, is 5 deep. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Set on a request whose raw JSON body holds no `\u` escape. The body is
 * valid UTF-8 (no surrogate can be encoded in it) and JSON forbids raw
 * control characters in strings, so U+0000 or a lone surrogate can only
 * arrive as `\u0000` or `\ud800`: without any `\u`, no string of the parsed
 * body can hold one, and the storable-input rule need not walk it (a bulk
 * of 1,000 posts is 13,000 strings).
 */
export const WITHOUT_UNICODE_ESCAPES = Symbol('JSON body without \\u escapes');

/** The body parser's `verify(request, response, body, encoding)`: throws the problem that refuses the body. */
export function checkRawJsonBody(request: IncomingMessage, _response: ServerResponse, body: Buffer, encoding: string): void {
  // RFC 8259 §8.1: JSON between systems is UTF-8; the byte scan below relies on it.
  if (encoding !== 'utf-8') throw new UnsupportedMediaType(`Send JSON as UTF-8 (got charset "${encoding.slice(0, 40)}")`);
  if (!isUtf8(body)) throw new MalformedRequest('The body is not valid UTF-8');
  if (exceedsDepth(body, MAX_JSON_DEPTH)) {
    throw new MalformedRequest(`The body is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects, the most this API reads`);
  }
  if (!body.includes('\\u')) (request as IncomingMessage & { [WITHOUT_UNICODE_ESCAPES]?: boolean })[WITHOUT_UNICODE_ESCAPES] = true;
}

/**
 * Whether UTF-8 JSON opens more than `limit` arrays and objects at once,
 * brackets inside strings not counted. In UTF-8 no byte of a multi-byte
 * character is ASCII, so bytes can be compared directly. Exact for valid
 * JSON; what it says of invalid JSON does not matter, the parser refuses it.
 */
export function exceedsDepth(body: Buffer, limit: number): boolean {
  let depth = 0;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (byte === QUOTE) {
      index = closingQuote(body, index);
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Where the string opened at `start` ends (the body's length if it does not).
 * Strings are most of a body's bytes, so they are skipped with indexOf, not
 * byte by byte: a quote ends the string unless an odd run of backslashes
 * escapes it. Each run is counted once, for the quote right after it.
 */
function closingQuote(body: Buffer, start: number): number {
  for (let quote = body.indexOf(QUOTE, start + 1); quote !== -1; quote = body.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return body.length;
}
