/**
 * What decoding an image may cost a process. A PNG of 16000×16000 pixels in
 * one colour compresses to under a megabyte, well within the byte cap, yet
 * decoding it takes about 3 bytes a pixel (768 MB, three at once 2.4 GB).
 * So an image's dimensions are read from its header first and an image of
 * more than `maxImagePixels` is refused before it is decoded
 * (`media_too_many_pixels`, 422), and no more than `decodeConcurrency`
 * images are decoded at once in a process (the rest wait their turn, on
 * disk, not in memory).
 */
import { MediaRefused } from './media-errors';

export interface DecodeLimits {
  /** The most pixels (width × height) an image may have to be decoded (MEDIA_MAX_MEGAPIXELS). */
  maxImagePixels: number;
  /** How many images a process decodes at once (MEDIA_DECODE_CONCURRENCY). */
  decodeConcurrency: number;
}

/** Refuses an image whose header says it is larger than the process decodes. */
export function checkPixels(width: number | undefined, height: number | undefined, limits: Pick<DecodeLimits, 'maxImagePixels'>): void {
  if (!width || !height) return;
  if (width * height <= limits.maxImagePixels) return;
  throw new MediaRefused(
    422,
    'media_too_many_pixels',
    `The image is ${width}×${height} pixels (${megapixels(width * height)} MP); Herald takes images of at most ${megapixels(limits.maxImagePixels)} MP (width × height): scale it down and upload it again`,
  );
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 100_000) / 10);
}

/** A counting semaphore: at most `slots` of the work given to `run` at once, the rest in the order it came. */
export class DecodeGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`DecodeGate needs at least one slot (got ${slots})`);
  }

  /** How many are decoding now, and how many wait. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line (running stays the same), or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** What the probe and the derived versions are given: the pixel cap, and the process's one gate. */
export interface Decoding {
  maxImagePixels: number;
  gate: DecodeGate;
}
