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

/** The body parser's `verify(request, response, body, encoding)`: throws the problem that refuses the body. */
export function checkRawJsonBody(_request: IncomingMessage, _response: ServerResponse, body: Buffer, encoding: string): void {
  // RFC 8259 §8.1: JSON between systems is UTF-8; the byte scan below relies on it.
  if (encoding !== 'utf-8') throw new UnsupportedMediaType(`Send JSON as UTF-8 (got charset "${encoding.slice(0, 40)}")`);
  if (!isUtf8(body)) throw new MalformedRequest('The body is not valid UTF-8');
  if (exceedsDepth(body, MAX_JSON_DEPTH)) {
    throw new MalformedRequest(`The body is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects, the most this API reads`);
  }
}

/**
 * Whether UTF-8 JSON opens more than `limit` arrays and objects at once,
 * brackets inside strings not counted. In UTF-8 no byte of a multi-byte
 * character is ASCII, so bytes can be compared directly. Exact for valid
 * JSON; what it says of invalid JSON does not matter, the parser refuses it.
 */
export function exceedsDepth(body: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth -= 1;
    }
  }
  return false;
}
