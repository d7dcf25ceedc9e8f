/**
 * What a new password must not be, besides short: only spaces, too
 * repetitive (one character or a short run repeated, or a plain run such as
 * `abcdefghij`), one of the most common passwords, or one of them with a
 * few characters added before or after (`dragon1234`). The list is local
 * (common-passwords.json: the 49,233 passwords that @zxcvbn-ts/language-common
 * 4.1.3 ships, gathered from leaked password lists, most common first; see
 * common-passwords.LICENSE.txt): nothing is fetched at run time, and no
 * password leaves the process. Compared lowercased, in Unicode NFKC.
 */
import COMMON_PASSWORDS from './common-passwords.json';

const COMMON = new Set<string>(COMMON_PASSWORDS);

/** A run repeated whose unit is at most this long is no password (`abcabcabca`). */
const SHORT_UNIT = 4;
/** Characters added around a common password that still leave it a common password (`monkey!!`, `dragon1234`). */
const FEW_ADDED = 4;

/** Why `password` is too weak, said for the person choosing it; undefined when it is not. */
export function weaknessOf(password: string): string | undefined {
  const chars = [...password.normalize('NFKC').toLowerCase()];
  const text = chars.join('');
  if (text.trim() === '') return 'must not be only spaces';
  if (repetitive(chars)) return 'is too repetitive (a few characters repeated, or a run such as 1234567890 or abcdefghij): choose something less predictable';
  if (COMMON.has(text)) return 'is one of the most common passwords, among the first anyone guessing would try: choose another (a few unrelated words make a good one)';
  if (commonWithFewAdded(chars)) return 'is a common password with a few characters added, which guessing tries early: choose another (a few unrelated words make a good one)';
  return undefined;
}

/** One unit of up to SHORT_UNIT characters repeated, or every step between neighbours the same +1 or -1 (`abcdef`, `987654`). */
function repetitive(chars: string[]): boolean {
  for (let unit = 1; unit <= Math.min(SHORT_UNIT, chars.length / 2); unit += 1) {
    if (chars.every((char, index) => char === chars[index % unit])) return true;
  }
  const steps = chars.slice(1).map((char, index) => char.codePointAt(0)! - chars[index]!.codePointAt(0)!);
  return steps.length > 0 && Math.abs(steps[0]!) === 1 && steps.every((step) => step === steps[0]);
}

/** A common password between characters that are no letters, few of them or themselves repetitive (`dragon1234`, `!!monkey!!`, `shadow123456`). */
function commonWithFewAdded(chars: string[]): boolean {
  const isLetter = (char: string) => /\p{L}/u.test(char);
  const first = chars.findIndex(isLetter);
  if (first < 0) return false;
  const last = chars.length - 1 - [...chars].reverse().findIndex(isLetter);
  const core = chars.slice(first, last + 1).join('');
  const added = [...chars.slice(0, first), ...chars.slice(last + 1)];
  if (added.length === 0 || !COMMON.has(core)) return false;
  return added.length <= FEW_ADDED || repetitive(chars.slice(0, first)) || repetitive(chars.slice(last + 1)) || COMMON.has(added.join(''));
}
