/** Record keys as a PDS makes them when the client gives none (TIDs: microseconds and a clock id, base32-sortable), and their syntax. */
import { randomInt } from 'node:crypto';

export const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const clockId = BigInt(randomInt(1024));
let lastMicros = 0n;

export function newTid(): string {
  let micros = BigInt(Date.now()) * 1000n;
  if (micros <= lastMicros) micros = lastMicros + 1n;
  lastMicros = micros;
  let value = (micros << 10n) | clockId;
  let tid = '';
  for (let index = 0; index < 13; index += 1) {
    tid = ALPHABET[Number(value & 31n)] + tid;
    value >>= 5n;
  }
  return tid;
}
