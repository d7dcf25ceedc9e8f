import fc from 'fast-check';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_JSON_DEPTH, WITHOUT_UNICODE_ESCAPES, checkRawJsonBody, exceedsDepth } from './json-body-limits';
import { Problem } from './problems';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** The depth of a parsed JSON value, the slow obvious way. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('JSON body limits', () => {
  it('counts open arrays and objects, not brackets inside strings', () => {
    expect(exceedsDepth(bytes('[[1]]'), 2)).toBe(false);
    expect(exceedsDepth(bytes('[[[1]]]'), 2)).toBe(true);
    expect(exceedsDepth(bytes('{"a":{"b":[]}}'), 2)).toBe(true);
    expect(exceedsDepth(bytes('[[],[],[],{}]'), 2)).toBe(false);
    expect(exceedsDepth(bytes('{"[[[[": "]]]{{{", "x": "\\"[[[[\\\\"}'), 1)).toBe(false);
    expect(exceedsDepth(bytes('{"text": "é[😀{"}'), 1)).toBe(false);
  });

  it('agrees with the parsed depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        expect(exceedsDepth(bytes(JSON.stringify(value)), limit)).toBe(depthOf(value) > limit);
      }),
    );
  });

  it('scans 500,000 levels without recursion', () => {
    const deep = bytes('['.repeat(500_000) + ']'.repeat(500_000));
    expect(exceedsDepth(deep, MAX_JSON_DEPTH)).toBe(true);
  });

  it('refuses, as problems, a body too deep (400), not UTF-8 (400), or in another charset (415)', () => {
    const verify = (body: Buffer, encoding = 'utf-8') => {
      try {
        checkRawJsonBody({} as IncomingMessage, {} as ServerResponse, body, encoding);
        return undefined;
      } catch (error) {
        return error instanceof Problem ? `${error.status} ${error.message}` : String(error);
      }
    };
    expect(verify(bytes(`{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`))).toMatch(/^400 .*nested deeper than 32/);
    expect(verify(bytes(`{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`))).toBeUndefined();
    expect(verify(Buffer.from([0x7b, 0x22, 0xe0, 0xa4, 0x22, 0x7d]))).toMatch(/^400 .*UTF-8/);
    expect(verify(bytes('{}'), 'utf-16le')).toMatch(/^415 /);
  });

  it('tells the storable-input rule when no string of the body can hold NUL or a lone surrogate: no \\u escape at all', () => {
    const marked = (text: string) => {
      const request = {} as IncomingMessage & { [WITHOUT_UNICODE_ESCAPES]?: boolean };
      checkRawJsonBody(request, {} as ServerResponse, bytes(text), 'utf-8');
      return request[WITHOUT_UNICODE_ESCAPES] === true;
    };
    expect(marked('{"text": "plain, é, 😀, \\" quoted"}')).toBe(true);
    expect(marked('{"text": "\\u0000"}')).toBe(false);
    expect(marked('{"text": "\\ud800"}')).toBe(false);
    expect(marked('{"text": "C:\\\\users"}')).toBe(false);
  });
});
