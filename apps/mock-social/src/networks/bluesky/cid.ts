/**
 * Content identifiers as an atproto PDS writes them: CIDv1, multibase base32
 * lower ('b...'), a sha2-256 multihash, codec raw (0x55) for blobs and
 * dag-cbor (0x71) for records. A record's own CID is computed over its
 * DAG-CBOR encoding (record-cid.ts); `cidFor(DAG_CBOR, …)` here serves what
 * the mock does not encode (a commit's CID): well formed and stable.
 */
import { createHash } from 'node:crypto';

export const RAW = 0x55;
export const DAG_CBOR = 0x71;
const SHA2_256 = 0x12;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function cidFor(codec: typeof RAW | typeof DAG_CBOR, content: Buffer | string): string {
  const digest = createHash('sha256').update(content).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec, SHA2_256, 32]), digest]))}`;
}

/** The codec of a well-formed CIDv1 string of this kind (raw or dag-cbor, sha2-256), or undefined. */
export function parseCid(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^b[a-z2-7]{58}$/.test(value)) return undefined;
  const bytes = unbase32(value.slice(1));
  if (bytes.length !== 36 || bytes[0] !== 0x01 || bytes[2] !== SHA2_256 || bytes[3] !== 32) return undefined;
  return bytes[1] === RAW || bytes[1] === DAG_CBOR ? bytes[1] : undefined;
}

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of text) {
    buffer = ((buffer << 5) | ALPHABET.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
