/**
 * Hostile strings for the fuzz properties, by character class, and the
 * helpers that place one into an otherwise valid request: into a body field
 * (or a field's name), a query parameter, or a path parameter.
 *
 * What the API does with each class (README, "Input"):
 * - `nul` (U+0000) and `surrogate` (an unpaired UTF-16 surrogate) cannot be
 *   stored; `percent` (invalid percent-encoding in a URL) cannot be decoded.
 *   Each is refused with a 400 naming the field and the character.
 * - `c0`, `c1` (control characters), `bidi` (direction overrides and
 *   isolates) and `grapheme` (one very long grapheme cluster) are text:
 *   free-text fields keep them exactly as sent (a length rule may still
 *   refuse a long one); identifiers, enums, times and URLs refuse them with
 *   their own 4xx.
 */
import fc from 'fast-check';

export type HostileClass = 'nul' | 'surrogate' | 'percent' | 'c0' | 'c1' | 'bidi' | 'grapheme';

export interface HostileFragment {
  kind: HostileClass;
  /** The characters to insert (for `percent`, the raw URL text). */
  text: string;
}

/** The classes the API refuses wherever they appear. */
export const UNSTORABLE: ReadonlySet<HostileClass> = new Set(['nul', 'surrogate', 'percent']);

const char = (min: number, max: number) => fc.integer({ min, max }).map((code) => String.fromCharCode(code));

const nul = fc.integer({ min: 1, max: 3 }).map((count): HostileFragment => ({ kind: 'nul', text: '\u0000'.repeat(count) }));

const surrogate = fc
  .oneof(char(0xd800, 0xdbff), char(0xdc00, 0xdfff), fc.tuple(char(0xdc00, 0xdfff), char(0xd800, 0xdbff)).map(([low, high]) => low + high))
  .map((text): HostileFragment => ({ kind: 'surrogate', text }));

const c0 = fc.oneof(char(0x01, 0x1f), fc.constant('\u007f')).map((text): HostileFragment => ({ kind: 'c0', text }));
const c1 = char(0x80, 0x9f).map((text): HostileFragment => ({ kind: 'c1', text }));
const bidi = fc
  .constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c')
  .map((text): HostileFragment => ({ kind: 'bidi', text }));

/** One grapheme cluster of hundreds of code points: a letter under combining marks, or a chain of emoji joined by ZWJ. */
const grapheme = fc
  .oneof(
    fc.integer({ min: 50, max: 1500 }).map((count) => 'e' + '\u0301\u0323\u0336'.repeat(Math.ceil(count / 3)).slice(0, count)),
    fc.integer({ min: 10, max: 300 }).map((count) => Array.from({ length: count }, () => '👩🏽').join('\u200d')),
  )
  .map((text): HostileFragment => ({ kind: 'grapheme', text }));

/** Percent-encoding that is not UTF-8: truncated, not hex, overlong, an encoded surrogate, a lone byte. */
const percent = fc
  .constantFrom('%E0%A4%A', '%ZZ', '%', '%C0%80', '%ED%A0%80', '%FF', '%E2%82', '%F4%90%80%80', '%c3')
  .map((text): HostileFragment => ({ kind: 'percent', text }));

/** Hostile characters for a JSON body. */
export const bodyFragment = fc.oneof(nul, surrogate, c0, c1, bidi, grapheme);
/** Hostile characters for a URL (query or path), invalid percent-encoding included. */
export const urlFragment = fc.oneof(nul, surrogate, percent, c0, c1, bidi, grapheme);

/** `original` with `fragment` inserted at `position` (taken modulo its length + 1). */
export function insert(original: string, fragment: string, position: number): string {
  const at = position % (original.length + 1);
  return original.slice(0, at) + fragment + original.slice(at);
}

/**
 * `before` + fragment + `after` as they travel in a URL. A lone surrogate
 * has no UTF-8 form, so it travels as its three CESU-8 bytes (%ED%A0%80 for
 * U+D800): what a client that encodes code units one by one would send.
 */
export function encodeForUrl(before: string, fragment: HostileFragment, after: string): string {
  const middle =
    fragment.kind === 'percent'
      ? // Hex digits right after `%E0%A4%A` would complete it into valid UTF-8.
        fragment.text + (/^[0-9a-f]/i.test(after) ? '_' : '')
      : fragment.kind === 'surrogate'
        ? [...fragment.text].map((unit) => cesu8(unit.charCodeAt(0))).join('')
        : encodeURIComponent(fragment.text);
  return encodeURIComponent(before) + middle + encodeURIComponent(after);
}

function cesu8(unit: number): string {
  return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
}

/** What the refusal's message must name for a class the API refuses (in a URL, a surrogate's bytes are not UTF-8). */
export function expectedMessage(fragment: HostileFragment, inUrl: boolean): RegExp {
  if (fragment.kind === 'nul') return /U\+0000/;
  if (fragment.kind === 'surrogate' && !inUrl) return /unpaired surrogate U\+D[89A-F][0-9A-F]{2}/;
  return /percent-encoding/;
}

export type Key = string | number;

/** A place that holds a string in a JSON value: a value, or the name of an object's field. */
export interface StringPlace {
  keys: Key[];
  isName: boolean;
}

/** Every string value and every field name in a JSON value, by the keys that reach it. */
export function stringPlaces(value: unknown, keys: Key[] = []): StringPlace[] {
  if (typeof value === 'string') return [{ keys, isName: false }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPlaces(item, [...keys, index]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [{ keys: [...keys, key], isName: true }, ...stringPlaces(item, [...keys, key])]);
  }
  return [];
}

/**
 * A copy of `body` with the string at `place` changed by `change`: the value,
 * or the field's name (the field keeps its place among its siblings).
 * Answers the copy and the keys that now reach the changed place.
 */
export function changeString(body: unknown, place: StringPlace, change: (text: string) => string): { body: unknown; keys: Key[] } {
  const copy = structuredClone(body);
  const parentKeys = place.keys.slice(0, -1);
  const last = place.keys[place.keys.length - 1]!;
  const parent = parentKeys.reduce<any>((node, key) => node[key], copy);
  if (!place.isName) {
    parent[last] = change(parent[last] as string);
    return { body: copy, keys: place.keys };
  }
  const renamed = change(String(last));
  const entries = Object.entries(parent as Record<string, unknown>).map(([key, item]): [string, unknown] => [key === last ? renamed : key, item]);
  for (const key of Object.keys(parent)) delete parent[key];
  for (const [key, item] of entries) parent[key] = item;
  return { body: copy, keys: [...parentKeys, renamed] };
}

/** A field's path as the API names it in `errors[].path`: `text`, `media[0].alt`, `variants.<id>`. */
export function pathOf(keys: Key[]): string {
  return keys.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key), '');
}

export function valueAt(value: unknown, keys: Key[]): unknown {
  return keys.reduce<any>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), value);
}

/** Free-text fields: people's words, kept as sent. Everything else is an identifier, an enum, a time or a URL. */
export function isFreeText(keys: Key[]): boolean {
  return /^(posts\[\d+\]\.)?(text|variants\.[^.]+|media\[\d+\]\.alt)$|^name$/.test(pathOf(keys));
}

/**
 * A JSON text of `depth` nested containers around `core`, built without
 * recursion (JSON.stringify of such a value would itself overflow):
 * arrays, objects `{"a": ...}`, or both in turn.
 */
export function nestedJson(depth: number, kind: 'array' | 'object' | 'mixed', core = '1'): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level += 1) {
    const array = kind === 'array' || (kind === 'mixed' && level % 2 === 0);
    open.push(array ? '[' : '{"a":');
    close.push(array ? ']' : '}');
  }
  return open.join('') + core + close.reverse().join('');
}
