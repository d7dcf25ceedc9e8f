import { NETWORKS as EVERY_NETWORK } from './network';
import { DESCRIBED_NETWORKS } from '../networks/descriptors';

/** The seven: each network that describes itself is checked by its own folder's spec. */
const NETWORKS = EVERY_NETWORK.filter((network) => !DESCRIBED_NETWORKS.some((descriptor) => descriptor.network === network));
import { NETWORK_RULES, maxMediaItems } from './network-rules';

describe('NETWORK_RULES', () => {
  it('has the rules of every network, under its own name', () => {
    expect(Object.keys(NETWORK_RULES).sort()).toEqual([...EVERY_NETWORK].sort());
    for (const network of EVERY_NETWORK) expect(NETWORK_RULES[network].network).toBe(network);
  });

  it('has the text limits of PRODUCT.md', () => {
    const limits = Object.fromEntries(NETWORKS.map((network) => [network, NETWORK_RULES[network].text.maxLength]));
    expect(limits).toEqual({ x: 280, bluesky: 300, mastodon: 500, linkedin: 3000, threads: 500, instagram: 2200, facebook: 63206 });
    expect(NETWORK_RULES.bluesky.text.maxBytes).toBe(3000);
    expect(NETWORK_RULES.x.text.urlLength).toBe(23);
    expect(NETWORK_RULES.mastodon.text.urlLength).toBe(23);
  });

  it('has the media limits of PRODUCT.md', () => {
    const media = Object.fromEntries(
      NETWORKS.map((network) => {
        const { maxImages, maxVideos, mixed, minItems, altTextMaxLength } = NETWORK_RULES[network].media;
        return [network, { maxImages, maxVideos, mixed, minItems, ...(altTextMaxLength ? { altTextMaxLength } : {}), maxItems: maxMediaItems(NETWORK_RULES[network]) }];
      }),
    );
    expect(media).toEqual({
      x: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1000, maxItems: 4 },
      bluesky: { maxImages: 4, maxVideos: 0, mixed: false, minItems: 0, altTextMaxLength: 2000, maxItems: 4 },
      mastodon: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1500, maxItems: 4 },
      linkedin: { maxImages: 20, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 4086, maxItems: 20 },
      threads: { maxImages: 20, maxVideos: 20, mixed: true, minItems: 0, altTextMaxLength: 1000, maxItems: 20 },
      instagram: { maxImages: 10, maxVideos: 10, mixed: true, minItems: 1, altTextMaxLength: 1000, maxItems: 10 },
      facebook: { maxImages: 10, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1000, maxItems: 10 },
    });
  });

  it('says per network which file limits Herald meets by resizing and which it refuses', () => {
    const summary = Object.fromEntries(NETWORKS.map((network) => [network, { types: NETWORK_RULES[network].media.image.types.length, fits: NETWORK_RULES[network].media.image.fits, video: NETWORK_RULES[network].media.video !== undefined }]));
    expect(summary.bluesky).toEqual({ types: 4, fits: ['bytes', 'pixels'], video: false });
    expect(summary.instagram).toEqual({ types: 1, fits: ['bytes', 'pixels', 'type'], video: true });
    expect(NETWORK_RULES.bluesky.media.image.maxBytes).toBe(2_000_000);
    expect(NETWORK_RULES.x.media.image.maxBytes).toBe(5 * 1024 * 1024);
    expect(NETWORK_RULES.instagram.media.image.aspectRatio).toEqual({ min: 0.8, max: 1.91, label: '4:5 to 1.91:1' });
  });

  it('says only Mastodon honours an Idempotency-Key', () => {
    expect(NETWORKS.filter((network) => NETWORK_RULES[network].honoursIdempotencyKey)).toEqual(['mastodon']);
  });
});
