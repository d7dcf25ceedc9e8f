/**
 * Text Postgres can store. A `text` or `jsonb` value cannot hold U+0000, and
 * an unpaired UTF-16 surrogate has no UTF-8 form (`jsonb` refuses its
 * `\ud800` escape; the driver would quietly turn it into U+FFFD in `text`).
 *
 * Two uses, one definition: the API refuses such characters in what people
 * send (their words are theirs to fix, so nothing is changed behind their
 * back), and text Herald reads from outside (a network's error message, a
 * webhook receiver's answer) is made storable instead, each such character
 * replaced by U+FFFD, so the record of what happened is kept rather than
 * lost to a database error.
 */

/** U+0000, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE.source, 'g');

export const REPLACEMENT_CHARACTER = '\ufffd';

export interface UnstorableCharacter {
  /** Where it is, in UTF-16 code units (as JavaScript counts). */
  index: number;
  /** The code unit: 0 for NUL, else the lone surrogate. */
  codeUnit: number;
}

/** The first character of `text` Postgres cannot store, if any. */
export function findUnstorable(text: string): UnstorableCharacter | undefined {
  const match = UNSTORABLE.exec(text);
  return match ? { index: match.index, codeUnit: match[0].charCodeAt(0) } : undefined;
}

/** Names the character for a person: "U+0000 (NUL)", "an unpaired surrogate U+D800". */
export function describeUnstorable(character: UnstorableCharacter): string {
  const code = `U+${character.codeUnit.toString(16).toUpperCase().padStart(4, '0')}`;
  return character.codeUnit === 0 ? `${code} (NUL)` : `an unpaired surrogate ${code}`;
}

/** `text` with every character Postgres cannot store replaced by U+FFFD; the same string when there is none. */
export function toStorableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(EVERY_UNSTORABLE, REPLACEMENT_CHARACTER) : text;
}

/** `toStorableText`, passing `null` and `undefined` through. */
export function toStorableTextOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : toStorableText(text);
}

/**
 * A copy of a JSON value with every string, field names included, made
 * storable. Iterative, so no depth of nesting can exhaust the stack.
 */
export function toStorableJson<T>(value: T): T {
  if (typeof value === 'string') return toStorableText(value) as T;
  if (!isContainer(value)) return value;
  const root: Container = Array.isArray(value) ? [] : {};
  const pending: [Container, Container][] = [[value, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [source, target] = next;
    for (const [key, item] of Object.entries(source)) {
      let copy: unknown = item;
      if (typeof item === 'string') copy = toStorableText(item);
      else if (isContainer(item)) {
        copy = Array.isArray(item) ? [] : {};
        pending.push([item, copy as Container]);
      }
      (target as Record<string, unknown>)[Array.isArray(target) ? key : toStorableText(key)] = copy;
    }
  }
  return root as T;
}

type Container = Record<string, unknown> | unknown[];

/** Arrays and plain objects; a Date (or anything else with its own JSON form) is kept as it is. */
function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
