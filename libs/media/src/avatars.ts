/**
 * A connected account's avatar, as Herald keeps and serves it: fetched once
 * (at connect, on a refresh) from the URL the network named, through
 * `Outbound` (the URL policy; an avatar on one of this installation's own
 * network endpoints, the mock's for instance, through an `Outbound` that
 * admits exactly those hosts), at most 5 MB within 10 s, then decoded (at
 * most 40 MP) and made a 128×128 WebP, a few KB. A browser never loads the
 * network's URL: what it shows is Herald's copy.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { ChannelAdapterRegistry, Outbound, UrlPolicy } from '@herald/channels';

export const AVATAR_SIZE = 128;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;
const TIMEOUT_MS = 10_000;

export interface KeptAvatar {
  contentType: 'image/webp';
  bytes: Buffer;
  /** A strong validator: the hash of the kept bytes. */
  etag: string;
}

export class AvatarFetcher {
  private readonly ownEndpoints: Outbound;

  constructor(
    private readonly outbound: Outbound,
    private readonly registry: ChannelAdapterRegistry,
  ) {
    this.ownEndpoints = new Outbound(new UrlPolicy(registry.endpointHostnames()));
  }

  /** The image at `url`, normalised. Throws when it cannot be fetched or is no image. */
  async fetch(url: string): Promise<KeptAvatar> {
    const own = this.registry.isOwnEndpoint(url);
    const answer = await (own ? this.ownEndpoints : this.outbound).fetch(url, {
      method: 'GET',
      headers: { accept: 'image/*', 'user-agent': 'Herald avatar' },
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BYTES,
      // A CDN may redirect to the file; an own endpoint's answer is taken as it is.
      maxRedirects: own ? 0 : 3,
    });
    if (answer.status !== 200) throw new Error(`the avatar URL answered HTTP ${answer.status}`);
    return normaliseAvatar(answer.body);
  }

  async close(): Promise<void> {
    await this.ownEndpoints.close();
  }
}

/** Any image sharp reads, as a 128×128 WebP (cropped to the centre, as the networks show avatars). */
export async function normaliseAvatar(input: Buffer): Promise<KeptAvatar> {
  const bytes = await sharp(input, { limitInputPixels: MAX_PIXELS, animated: false })
    .rotate()
    .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' })
    .webp({ quality: 82 })
    .toBuffer();
  return { contentType: 'image/webp', bytes, etag: createHash('sha256').update(bytes).digest('hex').slice(0, 32) };
}
