import { NETWORKS } from '../network';
import { NETWORK_RULES, maxMediaItems } from './network-rules';

describe('NETWORK_RULES', () => {
  it('has the rules of every network, under its own name', () => {
    expect(Object.keys(NETWORK_RULES).sort()).toEqual([...NETWORKS].sort());
    for (const network of NETWORKS) expect(NETWORK_RULES[network].network).toBe(network);
  });

  it('has the text limits of PRODUCT.md', () => {
    const limits = Object.fromEntries(NETWORKS.map((network) => [network, NETWORK_RULES[network].text.maxLength]));
    expect(limits).toEqual({ x: 280, bluesky: 300, mastodon: 500, linkedin: 3000, threads: 500, instagram: 2200, facebook: 63206 });
    expect(NETWORK_RULES.bluesky.text.maxBytes).toBe(3000);
    expect(NETWORK_RULES.x.text.urlLength).toBe(23);
    expect(NETWORK_RULES.mastodon.text.urlLength).toBe(23);
  });

  it('has the media limits of PRODUCT.md', () => {
    const media = Object.fromEntries(NETWORKS.map((network) => [network, { ...NETWORK_RULES[network].media, maxItems: maxMediaItems(NETWORK_RULES[network]) }]));
    expect(media).toEqual({
      x: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1000, maxItems: 4 },
      bluesky: { maxImages: 4, maxVideos: 0, mixed: false, minItems: 0, altTextMaxLength: 2000, maxItems: 4 },
      mastodon: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1500, maxItems: 4 },
      linkedin: { maxImages: 9, maxVideos: 1, mixed: false, minItems: 0, maxItems: 9 },
      threads: { maxImages: 10, maxVideos: 10, mixed: true, minItems: 0, maxItems: 10 },
      instagram: { maxImages: 10, maxVideos: 10, mixed: true, minItems: 1, maxItems: 10 },
      facebook: { maxImages: 10, maxVideos: 1, mixed: false, minItems: 0, maxItems: 10 },
    });
  });

  it('says only Mastodon honours an Idempotency-Key', () => {
    expect(NETWORKS.filter((network) => NETWORK_RULES[network].honoursIdempotencyKey)).toEqual(['mastodon']);
  });
});
