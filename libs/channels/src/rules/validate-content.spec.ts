import fc from 'fast-check';
import { MediaItem } from './types';
import { NETWORKS as EVERY_NETWORK, Network } from './network';
import { DESCRIBED_NETWORKS } from '../networks/descriptors';

/** The seven: each network that describes itself is checked by its own folder's spec. */
const NETWORKS = EVERY_NETWORK.filter((network) => !DESCRIBED_NETWORKS.some((descriptor) => descriptor.network === network));
import { NETWORK_RULES } from './network-rules';
import { countText, fitPlan, mediaType, validateContent } from './validate-content';

const images = (count: number): MediaItem[] => Array.from({ length: count }, (_, index) => ({ url: `https://cdn.example.com/${index}.png` }));
const videos = (count: number): MediaItem[] => Array.from({ length: count }, (_, index) => ({ url: `https://cdn.example.com/${index}.mp4` }));
const codes = (network: Network, text: string, media: MediaItem[] = []) => validateContent(network, { text, media }).map((violation) => violation.code);
const messages = (network: Network, text: string, media: MediaItem[] = []) => validateContent(network, { text, media }).map((violation) => violation.message);
const longUrl = `https://example.com/${'x'.repeat(80)}`; // 100 characters, counts 23 on X and Mastodon

describe('text on X', () => {
  it('takes 280 ASCII characters and refuses 281, saying the figure and the limit', () => {
    expect(codes('x', 'a'.repeat(280))).toEqual([]);
    expect(validateContent('x', { text: 'a'.repeat(281), media: [] })).toEqual([
      { code: 'text_too_long', message: 'Text is 281 weighted characters; X allows 280 (URLs count 23, CJK and emoji count 2)' },
    ]);
  });

  it('takes 140 CJK characters and refuses 141 (282 weighted)', () => {
    expect(codes('x', '日'.repeat(140))).toEqual([]);
    expect(messages('x', '日'.repeat(141))).toEqual(['Text is 282 weighted characters; X allows 280 (URLs count 23, CJK and emoji count 2)']);
  });

  it('counts a 100-character URL 23', () => {
    expect(codes('x', `${'a'.repeat(256)} ${longUrl}`)).toEqual([]); // 256 + 1 + 23 = 280
    expect(codes('x', `${'a'.repeat(257)} ${longUrl}`)).toEqual(['text_too_long']);
  });

  it('counts 140 emoji of any kind as 280', () => {
    expect(codes('x', '👨‍👩‍👧‍👦🫶🏽🇩🇪🐦‍🔥'.repeat(35))).toEqual([]);
    expect(codes('x', '👨‍👩‍👧‍👦🫶🏽🇩🇪🐦‍🔥'.repeat(35) + '!')).toEqual(['text_too_long']);
  });
});

describe('text on the other networks', () => {
  it('refuses Bluesky text over 300 graphemes or over 3,000 bytes, each on its own', () => {
    const family = '👨‍👩‍👧‍👦'; // 1 grapheme, 25 bytes
    expect(codes('bluesky', 'a'.repeat(300))).toEqual([]);
    expect(codes('bluesky', 'a'.repeat(301))).toEqual(['text_too_long']);
    expect(codes('bluesky', family.repeat(120))).toEqual([]); // 3,000 bytes
    expect(validateContent('bluesky', { text: family.repeat(300), media: [] })).toEqual([
      { code: 'text_too_many_bytes', message: 'Text is 7500 bytes in UTF-8; Bluesky allows 3000' },
    ]);
    expect(codes('bluesky', family.repeat(301))).toEqual(['text_too_long', 'text_too_many_bytes']);
  });

  it('counts a Mastodon URL 23 and a remote mention as @user', () => {
    expect(codes('mastodon', `${'a'.repeat(476)} ${longUrl}`)).toEqual([]); // 476 + 1 + 23 = 500
    expect(codes('mastodon', `${'a'.repeat(477)} ${longUrl}`)).toEqual(['text_too_long']);
    expect(codes('mastodon', `${'a'.repeat(493)} @alice@mastodon.social`)).toEqual([]); // 493 + 1 + 6 = 500
    expect(messages('mastodon', 'a'.repeat(501))).toEqual(['Text is 501 characters; Mastodon allows 500 (URLs count 23, @user@domain counts as @user)']);
  });

  it('applies each network its own limit, in code points', () => {
    expect(codes('linkedin', 'a'.repeat(3000))).toEqual([]);
    expect(codes('linkedin', 'a'.repeat(3001))).toEqual(['text_too_long']);
    expect(codes('threads', 'a'.repeat(500))).toEqual([]);
    expect(codes('threads', 'a'.repeat(501))).toEqual(['text_too_long']);
    expect(codes('instagram', '😀'.repeat(2200), images(1))).toEqual([]);
    expect(messages('instagram', 'a'.repeat(2201), images(1))).toEqual(['Caption is 2201 characters; Instagram allows 2200']);
    expect(codes('facebook', 'a'.repeat(63206))).toEqual([]);
    expect(codes('facebook', 'a'.repeat(63207))).toEqual(['text_too_long']);
  });

  it('counts an emoji as its UTF-8 bytes on Threads', () => {
    expect(codes('threads', '👍'.repeat(125))).toEqual([]);
    expect(messages('threads', '👍'.repeat(126))).toEqual(['Text is 504 characters; Threads allows 500 (an emoji counts its UTF-8 bytes)']);
  });

  it('wants text, or media in its place, everywhere but Instagram', () => {
    for (const network of NETWORKS.filter((name) => name !== 'instagram')) {
      expect(codes(network, ' \n ')).toEqual(['text_empty']);
      expect(codes(network, '', images(1))).toEqual([]);
    }
    expect(messages('x', '')).toEqual(['Text is empty and there is no media; X needs one or the other']);
    expect(codes('instagram', '', images(1))).toEqual([]);
  });
});

describe('media', () => {
  it('requires at least one image or video on Instagram, and takes up to 10 of any mix', () => {
    expect(validateContent('instagram', { text: 'caption', media: [] })).toEqual([
      { code: 'media_required', message: 'Post has 0 media items; Instagram needs at least 1 image or video' },
    ]);
    expect(codes('instagram', '')).toEqual(['media_required']);
    expect(codes('instagram', 'caption', [...images(5), ...videos(5)])).toEqual([]);
    expect(codes('instagram', 'caption', images(11))).toEqual(['too_many_images']);
    expect(codes('instagram', 'caption', [...images(6), ...videos(5)])).toEqual(['too_many_media']);
  });

  it('refuses images and a video mixed on X, and more than 4 images or 1 video', () => {
    expect(codes('x', 'pics', images(4))).toEqual([]);
    expect(codes('x', 'clip', videos(1))).toEqual([]);
    expect(validateContent('x', { text: 'mixed', media: [...images(1), ...videos(1)] })).toEqual([
      { code: 'mixed_media', message: 'Post has 1 image and 1 video; X allows up to 4 images or 1 video, not both' },
    ]);
    expect(messages('x', 'pics', images(5))).toEqual(['Post has 5 images; X allows 4']);
    expect(codes('x', 'clips', videos(2))).toEqual(['too_many_videos']);
  });

  it('applies each network its own media limits', () => {
    expect(messages('bluesky', 'clip', videos(1))).toEqual(['Post has 1 video; Bluesky allows 0 (images only)']);
    expect(codes('bluesky', 'pics', images(5))).toEqual(['too_many_images']);
    expect(codes('mastodon', 'pics', images(4))).toEqual([]);
    expect(codes('mastodon', 'pics', images(5))).toEqual(['too_many_images']);
    expect(codes('mastodon', 'mixed', [...images(1), ...videos(1)])).toEqual(['mixed_media']);
    expect(codes('linkedin', 'pics', images(20))).toEqual([]);
    expect(codes('linkedin', 'pics', images(21))).toEqual(['too_many_images']);
    expect(codes('threads', 'carousel', [...images(4), ...videos(16)])).toEqual([]);
    expect(codes('threads', 'carousel', images(21))).toEqual(['too_many_images']);
    expect(codes('facebook', 'pics', images(10))).toEqual([]);
    expect(codes('facebook', 'pics', images(11))).toEqual(['too_many_images']);
  });

  it('takes the type given, else infers it from the extension', () => {
    expect(mediaType({ url: 'https://cdn.example.com/a.MOV?size=large#t=1' })).toBe('video');
    expect(mediaType({ url: 'https://cdn.example.com/a.webm' })).toBe('video');
    expect(mediaType({ url: 'https://cdn.example.com/a.m4v' })).toBe('video');
    expect(mediaType({ url: 'https://cdn.example.com/a.gif' })).toBe('image');
    expect(mediaType({ url: 'https://cdn.example.com/render?format=mp4' })).toBe('image');
    expect(mediaType({ url: 'https://cdn.example.com/a.png', type: 'video' })).toBe('video');
    expect(mediaType({ url: 'not a url.mp4' })).toBe('video');
  });

  it('refuses media URLs that are not http or https', () => {
    const media = ['ftp://cdn.example.com/a.png', 'javascript:alert(1)', 'not a url', 'https://', 'file:///etc/passwd'].map((url) => ({ url }));
    expect(codes('facebook', 'text', media)).toEqual(Array(5).fill('media_url_invalid'));
    expect(messages('x', 'text', [{ url: 'ftp://cdn.example.com/a.png' }])).toEqual(['media[0] URL is not an http or https URL; X fetches media over http(s) only']);
    expect(codes('x', 'text', [{ url: 'HTTP://CDN.EXAMPLE.COM/A.PNG' }])).toEqual([]);
  });

  it('refuses alt text over the network limit, where it has one', () => {
    expect(codes('x', 'pic', [{ url: 'https://cdn.example.com/a.png', alt: 'a'.repeat(1000) }])).toEqual([]);
    expect(messages('x', 'pic', [...images(1), { url: 'https://cdn.example.com/a.png', alt: 'a'.repeat(1001) }])).toEqual([
      'media[1] alt text is 1001 characters; X allows 1000',
    ]);
    expect(codes('bluesky', 'pic', [{ url: 'https://cdn.example.com/a.png', alt: '👍🏽'.repeat(2000) }])).toEqual([]); // 2,000 graphemes
    expect(codes('mastodon', 'pic', [{ url: 'https://cdn.example.com/a.png', alt: 'a'.repeat(1501) }])).toEqual(['alt_text_too_long']);
    expect(codes('linkedin', 'pic', [{ url: 'https://cdn.example.com/a.png', alt: 'a'.repeat(4086) }])).toEqual([]);
    expect(codes('linkedin', 'pic', [{ url: 'https://cdn.example.com/a.png', alt: 'a'.repeat(4087) }])).toEqual(['alt_text_too_long']);
  });
});

describe('files, as the media library measured them', () => {
  const file = (overrides: Partial<MediaItem>): MediaItem => ({ mediaId: 'm1', mimeType: 'image/jpeg', size: 500_000, width: 1200, height: 900, ...overrides });

  it('takes a file within every limit as it is', () => {
    for (const network of NETWORKS) {
      expect(validateContent(network, { text: 'pic', media: [file({})] })).toEqual([]);
      expect(fitPlan(network, file({}))).toBeUndefined();
    }
  });

  it('resizes what is only too large in bytes or pixels, where the network allows, instead of refusing', () => {
    const big = file({ size: 6_000_000, width: 4000, height: 3000 });
    expect(codes('bluesky', 'pic', [big])).toEqual([]);
    expect(fitPlan('bluesky', big)).toMatchObject({ maxBytes: 2_000_000, maxDimension: 2000, prefer: ['image/jpeg'] });
    expect(fitPlan('x', big)).toMatchObject({ maxBytes: 5 * 1024 * 1024, prefer: ['image/jpeg'] });
    expect(fitPlan('mastodon', big)).toBeUndefined();
    // A plan names what it makes: the same plan for the same limits, another for others.
    expect(fitPlan('bluesky', big)!.key).toBe(fitPlan('bluesky', file({ size: 3_000_000 }))!.key);
    expect(fitPlan('bluesky', big)!.key).not.toBe(fitPlan('x', big)!.key);
  });

  it('converts a type Instagram does not take (PNG, WebP) to JPEG, and never an animated GIF', () => {
    expect(fitPlan('instagram', file({ mimeType: 'image/png' }))).toMatchObject({ prefer: ['image/jpeg'], types: ['image/jpeg'] });
    expect(codes('instagram', 'pic', [file({ mimeType: 'image/webp' })])).toEqual([]);
    expect(messages('instagram', 'pic', [file({ mimeType: 'image/gif', animated: true })])).toEqual([
      'media[0] (image/gif, 1200×900, 488 KB): Instagram takes images as image/jpeg (an animated image is never converted)',
    ]);
    expect(messages('x', 'pic', [file({ mimeType: 'image/gif', animated: true, size: 16 * 1024 * 1024 })])).toEqual([
      "media[0] (image/gif, 1200×900, 16 MB) is over X's 15 MB for animated images (they are never resized)",
    ]);
    expect(codes('x', 'pic', [file({ mimeType: 'image/gif', animated: true, size: 14 * 1024 * 1024 })])).toEqual([]);
  });

  it('refuses what resizing cannot fix: aspect ratio, too small, the wrong video', () => {
    expect(messages('instagram', 'pic', [file({ width: 400, height: 1000 })])).toEqual([
      'media[0] (image/jpeg, 400×1000, 488 KB) has an aspect ratio of 0.40:1; Instagram takes images from 4:5 to 1.91:1',
    ]);
    expect(codes('instagram', 'pic', [file({ width: 1080, height: 1350 })])).toEqual([]);
    expect(codes('threads', 'pic', [file({ width: 200, height: 200 })])).toEqual(['image_too_small']);
    const video = (overrides: Partial<MediaItem>) => file({ mimeType: 'video/mp4', type: 'video', durationMs: 10_000, width: 1280, height: 720, ...overrides });
    expect(codes('x', 'clip', [video({})])).toEqual([]);
    expect(messages('x', 'clip', [video({ durationMs: 150_000 })])).toEqual(['media[0] (video/mp4, 1280×720, 488 KB) runs 150 s; X takes video up to 140 s']);
    expect(codes('x', 'clip', [video({ size: 600 * 1024 * 1024 })])).toEqual(['media_too_large']);
    expect(codes('linkedin', 'clip', [video({ durationMs: 2000 })])).toEqual(['video_too_short']);
    expect(codes('linkedin', 'clip', [video({ mimeType: 'video/quicktime' })])).toEqual(['media_type_unsupported']);
    expect(codes('bluesky', 'clip', [video({})])).toEqual(['too_many_videos', 'media_type_unsupported']);
    expect(codes('x', 'clip', [video({ width: 3840, height: 2160 })])).toEqual(['video_dimensions']);
    expect(codes('x', 'clip', [video({ width: 2000, height: 400 })])).toEqual(['video_dimensions', 'aspect_ratio']);
  });
});

describe('validateContent', () => {
  it('says every broken rule at once', () => {
    const media = [...images(5), { url: 'ftp://cdn.example.com/clip.mp4', alt: 'a'.repeat(1001) }];
    expect(codes('x', 'a'.repeat(300), media)).toEqual(['text_too_long', 'too_many_images', 'mixed_media', 'media_url_invalid', 'alt_text_too_long']);
  });

  it('takes any text within the limit and refuses one more character, on every network', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NETWORKS), fc.integer({ min: 1, max: 300 }), (network, length) => {
        const media = network === 'instagram' ? images(1) : [];
        const { limit } = countText(network, '');
        expect(codes(network, 'a'.repeat(Math.min(length, limit)), media)).toEqual([]);
        expect(codes(network, 'a'.repeat(limit + 1), media)).toEqual(['text_too_long']);
      }),
      { numRuns: 100 },
    );
  });

  it('states the measured figure and the limit in every message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NETWORKS), fc.integer({ min: 1, max: 40 }), (network, extra) => {
        const { limit } = countText(network, '');
        const [message] = messages(network, 'a'.repeat(limit + extra), network === 'instagram' ? images(1) : []);
        expect(message).toContain(`${limit + extra} `);
        expect(message).toContain(`allows ${limit}`);
      }),
      { numRuns: 50 },
    );
  });
});

describe('countText', () => {
  it('gives the length as each network counts it, the limit, and bytes where they are limited', () => {
    const text = `hi 👨‍👩‍👧‍👦 ${longUrl} @alice@mastodon.social`;
    expect(countText('x', text)).toEqual({ length: 3 + 2 + 1 + 23 + 1 + 22, limit: 280 }); // on X, a domain right after '@' is no URL
    expect(countText('bluesky', text)).toEqual({ length: 3 + 1 + 1 + 100 + 1 + 22, limit: 300, bytes: 3 + 25 + 1 + 100 + 1 + 22 });
    expect(countText('mastodon', text)).toEqual({ length: 3 + 1 + 1 + 23 + 1 + 6, limit: 500 });
    expect(countText('threads', text)).toEqual({ length: 3 + 25 + 1 + 100 + 1 + 22, limit: 500 });
    expect(countText('linkedin', text)).toEqual({ length: 3 + 7 + 1 + 100 + 1 + 22, limit: 3000 });
    expect(NETWORKS.map((network) => countText(network, '').limit)).toEqual(NETWORKS.map((network) => NETWORK_RULES[network].text.maxLength));
  });
});
