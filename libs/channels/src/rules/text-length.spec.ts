import fc from 'fast-check';
import { altTextLength, codePointCount, graphemeCount, graphemesOf, mastodonLength, threadsLength, utf8Bytes, xWeightedLength } from './text-length';

/** PRODUCT.md section 5's X rule, written out independently of twitter-text. */
const WEIGHT_ONE: Array<[number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const productWeight = (text: string): number =>
  Array.from(text.normalize('NFC')).reduce((sum, char) => {
    const point = char.codePointAt(0) ?? 0;
    return sum + (WEIGHT_ONE.some(([first, last]) => point >= first && point <= last) ? 1 : 2);
  }, 0);

const fromRange = (first: number, last: number) => fc.integer({ min: first, max: last }).map((point) => String.fromCodePoint(point));
/** Emoji of every kind: plain, skin tone, ZWJ family, flags, keycap, tag sequence, and ones newer than twitter-text (Emoji 12–15.1). */
const EMOJI = ['😀', '👍', '👍🏽', '👨‍👩‍👧‍👦', '🇩🇪', '🇯🇵', '#️⃣', '❤️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🫠', '🧑‍🦰', '🏳️‍⚧️', '🫶🏽', '🐦‍🔥', '🙂‍↔️', '👩🏽‍❤️‍💋‍👨🏿'];
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 1, maxLength: 8 });

describe('X weighted length', () => {
  it("counts concrete posts as PRODUCT.md's rule does by hand: letters 1, CJK and emoji 2, every URL 23", () => {
    const counted = {
      'Good morning, Berlin!': 21,
      '東京で会いましょう': 9 * 2,
      // “ ” and — are in U+2010–U+201F (1 each); … (U+2026) and ‰ (U+2030) are not (2 each).
      '“Quoted” — wait… ‰': 1 + 6 + 1 + 1 + 1 + 1 + 4 + 2 + 1 + 2,
      'New post: https://example.com/blog/2030/03/a-long-slug-about-scheduling?ref=x': 10 + 23,
      'https://a.example.org and http://b.example.net/x 👍': 23 + 5 + 23 + 1 + 2,
      'Café 日本 👨‍👩‍👧 see example.com': 4 + 1 + 2 * 2 + 1 + 2 + 1 + 4 + 23,
      // Exactly the limit, though 457 characters long.
      [`${'a'.repeat(256)} https://example.com/${'x'.repeat(180)}`]: 256 + 1 + 23,
    };
    for (const [text, weight] of Object.entries(counted)) expect([text, xWeightedLength(text)]).toEqual([text, weight]);
  });

  it('counts Latin 1 and CJK 2: 280 ASCII and 140 CJK are exactly the limit', () => {
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(xWeightedLength('a'.repeat(281))).toBe(281);
    expect(xWeightedLength('日'.repeat(140))).toBe(280);
    expect(xWeightedLength('日'.repeat(141))).toBe(282);
    expect(xWeightedLength('한국어')).toBe(6);
    expect(xWeightedLength('𠀀')).toBe(2); // one astral CJK code point, two UTF-16 units
  });

  it('weighs the edges of the weight-1 ranges as PRODUCT.md says', () => {
    const weights = [0x10ff, 0x1100, 0x1fff, 0x2000, 0x200d, 0x200e, 0x200f, 0x2010, 0x201f, 0x2020, 0x2031, 0x2032, 0x2037, 0x2038].map((point) =>
      xWeightedLength(`a${String.fromCodePoint(point)}b`) - 2,
    );
    expect(weights).toEqual([1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2]);
  });

  it('counts every URL 23, a 100-character one and a bare domain alike', () => {
    const url = `https://example.com/${'x'.repeat(80)}`;
    expect(url).toHaveLength(100);
    expect(xWeightedLength(url)).toBe(23);
    expect(xWeightedLength(`read ${url} now`)).toBe(5 + 23 + 4);
    expect(xWeightedLength('http://a.co')).toBe(23); // shorter than 23, still 23
    expect(xWeightedLength('see example.com')).toBe(4 + 23);
    expect(xWeightedLength('node.js')).toBe(7); // not a top-level domain
    expect(xWeightedLength('http://localhost:3000/health')).toBe(28); // no top-level domain, no URL
  });

  it('counts every emoji 2: skin tones, ZWJ sequences, flags, keycaps, and emoji newer than twitter-text', () => {
    for (const emoji of EMOJI) expect([emoji, xWeightedLength(emoji)]).toEqual([emoji, 2]);
    expect(xWeightedLength('👨‍👩‍👧‍👦'.repeat(140))).toBe(280);
    expect(xWeightedLength(`https://example.com/ 🧑‍🦰`)).toBe(23 + 1 + 2);
  });

  it("keeps twitter-text's own choices where PRODUCT.md is silent", () => {
    expect(xWeightedLength('©')).toBe(1); // text presentation: a Latin-1 character
    expect(xWeightedLength('©️')).toBe(2); // with U+FE0F: an emoji
    expect(xWeightedLength('e\u0301')).toBe(1); // counted in NFC: é
  });

  it('equals the code point count for text of weight-1 letters without URLs', () => {
    const letter = fc.oneof(fromRange(0x20, 0x2d), fromRange(0x2f, 0x7e), fromRange(0xa0, 0xff), fromRange(0x400, 0x45f), fromRange(0x5d0, 0x5ea), fromRange(0x2010, 0x201f));
    fc.assert(
      fc.property(fc.string({ unit: letter, maxLength: 400 }), (text) => {
        expect(xWeightedLength(text)).toBe(codePointCount(text));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with PRODUCT.md's ranges on any text of Latin, CJK, Hangul, jamo and punctuation (no '.', so no URL)", () => {
    const char = fc.oneof(fromRange(0x00, 0x2d), fromRange(0x2f, 0x10ff), fromRange(0x1100, 0x11ff), fromRange(0x1e00, 0x1eff), fromRange(0x2000, 0x203b), fromRange(0x4e00, 0x9fff), fromRange(0xac00, 0xd7a3));
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 200 }), (text) => {
        expect(xWeightedLength(text)).toBe(productWeight(text));
      }),
      { numRuns: 300 },
    );
  });

  it('counts words by their letters and every emoji 2, in any mix', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.constantFrom(...EMOJI)), { maxLength: 40 }), (tokens) => {
        const expected = tokens.reduce((sum, token) => sum + (EMOJI.includes(token) ? 2 : token.length), Math.max(0, tokens.length - 1));
        expect(xWeightedLength(tokens.join(' '))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Bluesky: graphemes and UTF-8 bytes', () => {
  it('counts 300 family emoji as 300 graphemes but 7,500 bytes', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(graphemeCount(family.repeat(300))).toBe(300);
    expect(utf8Bytes(family)).toBe(25);
    expect(utf8Bytes(family.repeat(300))).toBe(7500);
    expect(graphemeCount('e\u0301'.repeat(301))).toBe(301);
  });

  it('bytes equal what a UTF-8 encoder writes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { numRuns: 300 },
    );
    // Any UTF-16 units, lone surrogates too (an encoder writes U+FFFD for each, 3 bytes).
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { maxLength: 4 }), (text, lone) => {
        const mixed = text + String.fromCharCode(...lone) + text;
        expect(utf8Bytes(mixed)).toBe(new TextEncoder().encode(mixed).length);
      }),
      { numRuns: 300 },
    );
  });

  it('segments a long text as one pass of Intl.Segmenter would, across its windows', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const wholePass = (text: string) => Array.from(segmenter.segment(text), ({ segment, index }) => ({ segment, index }));
    expect(graphemeCount('🇦'.repeat(1001))).toBe(501); // regional indicators pair up across windows
    expect(graphemeCount(`a${'\u0301'.repeat(2000)}b`)).toBe(2); // one cluster longer than a window
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...EMOJI, '🇦', '\u200d', '\u0301', '\r\n'), fc.string({ unit: 'grapheme', maxLength: 3 })), maxLength: 400 }), (text) => {
        expect(graphemesOf(text)).toEqual(wholePass(text));
      }),
      { numRuns: 100 },
    );
  });

  // Its speed is not asserted here: a wall-clock bound in a unit test fails on a loaded machine (1,069 ms once in CI).
  it('counts a 63,206-character text (Facebook\'s limit) exactly', () => {
    expect(graphemeCount('日本語のテキスト '.repeat(7023))).toBe(63207);
  });
});

describe('Mastodon', () => {
  it('counts any http(s) URL 23, whatever its length', () => {
    expect(mastodonLength('a'.repeat(500))).toBe(500);
    expect(mastodonLength(`look https://example.com/${'y'.repeat(200)}`)).toBe(5 + 23);
    expect(mastodonLength('https://example.com')).toBe(23);
    expect(mastodonLength('HTTP://EXAMPLE.COM:8080/A?B=C')).toBe(23);
    expect(mastodonLength('https://en.wikipedia.org/wiki/Rust_(programming_language)')).toBe(23);
    expect(mastodonLength('https://ja.wikipedia.org/wiki/東京都庁舎')).toBe(23); // X stops at the first non-ASCII path character
    expect(mastodonLength('https://mastodon.social/@alice@example.com')).toBe(23);
  });

  it('leaves out trailing punctuation and what is not an http(s) URL', () => {
    expect(mastodonLength('see https://example.com/abc.')).toBe(4 + 23 + 1);
    expect(mastodonLength('(see https://example.com/abc)')).toBe(1 + 4 + 23 + 1);
    expect(mastodonLength('example.com/abcdefghijklmnopqrstuvwxyz')).toBe(38); // no protocol
    expect(mastodonLength('ftp://example.com/abcdefghijklmnopqrstuvwxyz')).toBe(44);
    expect(mastodonLength('http://localhost:3000/xyz')).toBe(25); // no top-level domain
  });

  it('counts a remote mention @user@domain as @user', () => {
    expect(mastodonLength('hi @alice@mastodon.social')).toBe('hi @alice'.length);
    expect(mastodonLength('@alice@mastodon.social!')).toBe('@alice!'.length);
    expect(mastodonLength('@alice')).toBe(6);
    expect(mastodonLength('mail alice@example.com')).toBe(22); // an address, not a mention
  });

  it('counts grapheme clusters, and blank text as nothing', () => {
    expect(mastodonLength('👨‍👩‍👧‍👦'.repeat(500))).toBe(500);
    expect(mastodonLength('   ')).toBe(0);
  });

  it('counts any URL 23 and any remote mention as its local part, by property', () => {
    const pathChar = fc.constantFrom(...'abcxyz0189/-_'.split(''));
    const label = fc.string({ unit: fc.constantFrom(...'abcdefgh0123'.split('')), minLength: 1, maxLength: 10 });
    const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('social', 'org', 'de', 'online')).map(([labels, tld]) => [...labels, tld].join('.'));
    const user = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_'.split('')), minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(domain, fc.string({ unit: pathChar, maxLength: 300 }), user, (host, path, name) => {
        expect(mastodonLength(`see https://${host}/${path}`)).toBe(4 + 23);
        expect(mastodonLength(`hi @${name}@${host} ok`)).toBe(4 + name.length + 3);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Threads', () => {
  it('counts characters, but an emoji as its UTF-8 bytes', () => {
    expect(threadsLength('a'.repeat(500))).toBe(500);
    expect(threadsLength('日本é')).toBe(3);
    expect(threadsLength('👍')).toBe(4);
    expect(threadsLength('👨‍👩‍👧‍👦')).toBe(25);
  });
});

describe('code points (LinkedIn, Instagram, Facebook) and alt text', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointCount('😀')).toBe(1);
    expect('😀').toHaveLength(2);
    expect(codePointCount('👨‍👩‍👧‍👦')).toBe(7);
  });

  it('counts alt text in graphemes on Bluesky, code points elsewhere', () => {
    expect(altTextLength('bluesky', '👍🏽')).toBe(1);
    expect(altTextLength('mastodon', '👍🏽')).toBe(2);
  });
});

describe('appending text', () => {
  const counts = { x: xWeightedLength, mastodon: mastodonLength, graphemes: graphemeCount, threads: threadsLength, codePoints: codePointCount };

  it('never shortens any count when it comes after a space', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(counts)), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (count, text, more) => {
        expect(count(`${text} ${more}`)).toBeGreaterThanOrEqual(count(text));
      }),
      { numRuns: 500 },
    );
  });

  it('never shortens graphemes or code points, even with no space', () => {
    fc.assert(
      fc.property(fc.constantFrom(graphemeCount, codePointCount), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ maxLength: 5 }), (count, text, more) => {
        expect(count(text + more)).toBeGreaterThanOrEqual(count(text));
      }),
      { numRuns: 300 },
    );
  });

  it('can shorten the X and Mastodon counts when it completes an emoji, a domain or a mention', () => {
    expect(xWeightedLength('👨‍👩‍')).toBe(6);
    expect(xWeightedLength('👨‍👩‍👧')).toBe(2);
    expect(xWeightedLength(`${'x'.repeat(30)}.c`)).toBe(32);
    expect(xWeightedLength(`${'x'.repeat(30)}.co`)).toBe(23);
    expect(mastodonLength('@alice@')).toBe(7);
    expect(mastodonLength('@alice@h')).toBe(6);
  });
});
