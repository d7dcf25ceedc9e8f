/**
 * AT Protocol timestamp identifiers (TIDs), the record keys of posts: 53 bits
 * of microseconds since the Unix epoch and a 10-bit clock id, as 13
 * characters of base32-sortable, so keys sort in time order. Herald chooses a
 * post's key before `createRecord`, which makes a lookup after a crash a
 * question with a certain answer (`getRecord`). Spec: atproto.com/specs/tid.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

/** This process's clock id: TIDs made in the same microsecond by two processes still differ. */
const CLOCK_ID = BigInt(randomInt(1024));
let lastMicros = 0n;

/** A new TID, later than every earlier one of this process. */
export function newTid(now: number = Date.now()): string {
  let micros = BigInt(now) * 1000n;
  if (micros <= lastMicros) micros = lastMicros + 1n;
  lastMicros = micros;
  let value = (micros << 10n) | CLOCK_ID;
  let encoded = '';
  for (let index = 0; index < 13; index += 1) {
    encoded = ALPHABET[Number(value & 31n)] + encoded;
    value >>= 5n;
  }
  return encoded;
}

export function isTid(value: string): boolean {
  return TID_PATTERN.test(value);
}
