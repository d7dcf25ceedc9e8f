/**
 * A file arriving (an upload's part, an import's answer) written to a
 * temporary file as it streams, never whole in memory: hashed (SHA-256) and
 * counted on the way, its type read from its first bytes, and cut off with
 * a 413 the moment it passes its type's cap. A refused file leaves nothing
 * behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { MediaRefused } from './media-errors';
import { HEAD_BYTES, detectType } from './probe';
import { IMAGE_TYPES, kindOf, sameType, typeClaimedBy } from './media-types';

export interface Caps {
  maxImageBytes: number;
  maxVideoBytes: number;
}

export interface Received {
  path: string;
  sha256: string;
  size: number;
  mimeType: string;
  /** Removes the temporary file. */
  discard(): Promise<void>;
}

/** What the sender said the file is: its name and declared type, both checked against the bytes. */
export interface Claimed {
  filename?: string;
  contentType?: string;
}

const INCOMING = join(tmpdir(), 'herald-media');

export async function receive(stream: Readable, caps: Caps, claimed: Claimed = {}): Promise<Received> {
  await mkdir(INCOMING, { recursive: true });
  const path = join(INCOMING, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const discard = () => rm(path, { force: true });
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let size = 0;
  let head: Buffer[] = [];
  let headSize = 0;
  let mimeType: string | undefined;
  let cap = Math.max(caps.maxImageBytes, caps.maxVideoBytes);
  const decide = async () => {
    const detected = await detectType(Buffer.concat(head));
    head = [];
    mimeType = checkType(detected, claimed);
    cap = kindOf(mimeType) === 'video' ? caps.maxVideoBytes : caps.maxImageBytes;
  };
  try {
    for await (const piece of stream) {
      const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
      size += chunk.length;
      if (mimeType === undefined) {
        head.push(chunk);
        headSize += chunk.length;
        if (headSize >= HEAD_BYTES) await decide();
      }
      if (size > cap) throw tooLarge(mimeType, cap);
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    if (size === 0) throw new MediaRefused(422, 'media_empty', 'The file is empty');
    if (mimeType === undefined) await decide();
    if (size > cap) throw tooLarge(mimeType, cap);
    out.end();
    await once(out, 'finish');
    return { path, sha256: hash.digest('hex'), size, mimeType: mimeType!, discard };
  } catch (error) {
    out.destroy();
    stream.destroy();
    await discard();
    throw error;
  }
}

function checkType(detected: string | undefined, claimed: Claimed): string {
  if (!detected || !kindOf(detected)) {
    throw new MediaRefused(
      415,
      'media_type_unsupported',
      `${detected ? `The file is ${detected} by its bytes` : 'The file is not an image or video Herald recognises by its bytes'}; Herald takes images as ${Object.keys(IMAGE_TYPES).join(', ')} and video as MP4 or MOV`,
    );
  }
  const byName = typeClaimedBy(claimed.filename);
  if (byName && !sameType(byName, detected)) {
    throw new MediaRefused(422, 'media_type_mismatch', `${claimed.filename} is named as ${byName} but its bytes are ${detected}; rename it or upload the file it should be`);
  }
  const declared = claimed.contentType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== 'application/octet-stream' && (declared.startsWith('image/') || declared.startsWith('video/')) && !sameType(declared, detected)) {
    throw new MediaRefused(422, 'media_type_mismatch', `The file was sent as ${declared} but its bytes are ${detected}`);
  }
  return detected;
}

function tooLarge(mimeType: string | undefined, cap: number): MediaRefused {
  const what = mimeType === undefined ? 'a file' : kindOf(mimeType) === 'video' ? 'a video' : 'an image';
  return new MediaRefused(413, 'media_too_large', `The file is larger than Herald takes for ${what} (${Math.floor(cap / (1024 * 1024))} MB)`);
}
