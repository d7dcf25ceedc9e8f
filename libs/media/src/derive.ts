/**
 * Versions of an image made with sharp: one that fits a network's limits
 * (`fitImage`, as the networks' own apps scale and re-encode what is too
 * large), and the thumbnail lists show. The original is never changed;
 * EXIF orientation is applied, so what the network shows stands as the
 * author saw it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FitPlan } from '@herald/channels';
import { Decoding, checkPixels } from './decode-limits';
import { MediaRefused } from './media-errors';

export interface Derived {
  path: string;
  mimeType: string;
  size: number;
  width: number;
  height: number;
}

const WORK = join(tmpdir(), 'herald-media');
/** Encoder quality of a fitted version: high, since most networks re-encode what they get. */
const QUALITY = 85;

/**
 * The largest version of the image that meets `plan`: scaled to fit its
 * dimension and pixel caps and re-encoded in the first type of
 * `plan.prefer`; when that is still over the byte cap, scaled again by the
 * square root of how far over it is (bytes follow pixels), a few times at
 * most, then at a lower quality. PNG, which has no quality, goes to JPEG
 * when the network takes JPEG and PNG cannot get small enough.
 */
export async function fitImage(input: string, width: number, height: number, plan: FitPlan, decoding: Decoding): Promise<Derived> {
  // Media kept before the pixel cap existed may be larger than the process decodes: refused, not decoded.
  checkPixels(width, height, decoding);
  let scale = 1;
  if (plan.maxDimension) scale = Math.min(scale, plan.maxDimension / Math.max(width, height));
  if (plan.maxPixels) scale = Math.min(scale, Math.sqrt(plan.maxPixels / (width * height)));
  for (const mimeType of plan.prefer) {
    let tryScale = scale;
    for (let round = 0; round < 6; round += 1) {
      const quality = round < 4 ? QUALITY : 70;
      const out = await decoding.gate.run(() => encode(input, Math.max(1, Math.floor(width * tryScale)), Math.max(1, Math.floor(height * tryScale)), mimeType, quality, decoding));
      if (out.size <= plan.maxBytes) return out;
      await rm(out.path, { force: true });
      // PNG shrinks slowly with size: past two rounds, JPEG (when taken) is the better bet.
      if (mimeType === 'image/png' && round >= 1 && plan.prefer.length > 1) break;
      tryScale *= Math.min(0.9, Math.sqrt(plan.maxBytes / out.size) * 0.95);
    }
  }
  throw new MediaRefused(422, 'media_unfittable', `The image could not be made to fit ${plan.maxBytes} bytes`);
}

async function encode(input: string, width: number, height: number, mimeType: string, quality: number | undefined, decoding: Decoding): Promise<Derived> {
  await mkdir(WORK, { recursive: true });
  const path = join(WORK, `derived-${randomBytes(8).toString('hex')}`);
  let image = sharp(input, { limitInputPixels: decoding.maxImagePixels }).rotate().resize({ width, height, fit: 'inside', withoutEnlargement: true });
  if (mimeType === 'image/jpeg') image = image.flatten({ background: '#ffffff' }).jpeg({ quality });
  else if (mimeType === 'image/webp') image = image.webp({ quality });
  else if (mimeType === 'image/png') image = image.png({ compressionLevel: 9, adaptiveFiltering: true });
  else if (mimeType === 'image/avif') image = image.avif({ quality });
  else image = image.jpeg({ quality });
  const info = await image.toFile(path);
  return { path, mimeType: mimeType === 'image/png' || mimeType === 'image/webp' || mimeType === 'image/avif' ? mimeType : 'image/jpeg', size: (await stat(path)).size, width: info.width, height: info.height };
}

/** A WebP of at most 320 px a side, for lists. */
export async function thumbnailOf(input: string, decoding: Decoding): Promise<Derived> {
  await mkdir(WORK, { recursive: true });
  const path = join(WORK, `thumb-${randomBytes(8).toString('hex')}`);
  const info = await decoding.gate.run(() =>
    sharp(input, { limitInputPixels: decoding.maxImagePixels, pages: 1 }).rotate().resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toFile(path),
  );
  return { path, mimeType: 'image/webp', size: info.size, width: info.width, height: info.height };
}
