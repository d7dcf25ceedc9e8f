/**
 * Signed, expiring links to one media file, for the networks that fetch
 * media themselves (Threads, Instagram, Facebook):
 * `${HERALD_PUBLIC_URL}/public/media/<media id>/<sha256>.<ext>?expires=<epoch s>&signature=<hex>`,
 * the signature an HMAC-SHA256 over the media id, the file and the expiry.
 * The route serves exactly that file until then; nothing is listed, and no
 * other file is reachable through it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class SignedLinks {
  constructor(
    private readonly publicUrl: string,
    private readonly key: Buffer,
    private readonly ttlMs: number,
  ) {}

  /** A link to `file` (`<sha256>.<ext>`) of media `mediaId`, valid for the configured time from `now`. */
  link(mediaId: string, file: string, now: number = Date.now()): string {
    const expires = Math.floor((now + this.ttlMs) / 1000);
    return `${this.publicUrl}/public/media/${mediaId}/${file}?expires=${expires}&signature=${this.signature(mediaId, file, expires)}`;
  }

  /** Whether the signature is this link's and it has not expired. */
  verify(mediaId: string, file: string, expires: string | undefined, signature: string | undefined, now: number = Date.now()): 'ok' | 'expired' | 'invalid' {
    if (!expires || !/^\d{1,12}$/.test(expires) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
    const expected = Buffer.from(this.signature(mediaId, file, Number(expires)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
    return Number(expires) * 1000 < now ? 'expired' : 'ok';
  }

  private signature(mediaId: string, file: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${mediaId}\n${file}\n${expires}`).digest('hex');
  }
}
