/** The mock networks' own limits, on concrete texts (no Herald code involved). */
import { commentRefusalOf, refusalOf, refusalsOf } from './content-rules';

describe('the mock networks judge posts by their own rules', () => {
  it('X: 280 weighted, a URL 23, CJK and emoji 2', () => {
    expect(refusalOf('x', 'a'.repeat(280), [])).toBeUndefined();
    expect(refusalOf('x', 'a'.repeat(281), [])).toMatch(/too long \(281 > 280\)/);
    expect(refusalOf('x', `${'a'.repeat(256)} https://example.com/${'p'.repeat(500)}`, [])).toBeUndefined();
    expect(refusalOf('x', '漢'.repeat(141), [])).toMatch(/282 > 280/);
  });

  it('Bluesky: 300 graphemes and 3000 bytes', () => {
    expect(refusalOf('bluesky', '👩‍👩‍👧‍👦'.repeat(121), [])).toMatch(/bytes > 3000/);
    expect(refusalOf('bluesky', 'é'.repeat(300), [])).toBeUndefined();
    expect(refusalOf('bluesky', 'é'.repeat(301), [])).toMatch(/301 > 300/);
  });

  it('Mastodon: 500, a URL 23, @user@domain as @user', () => {
    expect(refusalOf('mastodon', `${'a'.repeat(476)} https://example.com/${'p'.repeat(300)}`, [])).toBeUndefined();
    expect(refusalOf('mastodon', `${'a'.repeat(490)} @al@example.social`, [])).toBeUndefined();
    expect(refusalOf('mastodon', 'a'.repeat(501), [])).toMatch(/501 > 500/);
  });

  it('media counts, Instagram needs one, and alt text has a ceiling', () => {
    const image = { alt: '' };
    expect(refusalOf('instagram', 'caption', [])).toMatch(/at least 1/);
    expect(refusalOf('x', 'five', Array(5).fill(image))).toMatch(/too many media/);
    expect(refusalOf('bluesky', 'alt', [{ ...image, alt: 'a'.repeat(2001) }])).toMatch(/alt text is too long/);
    expect(refusalOf('threads', '', [])).toMatch(/text is required/);
  });

  it('comments: each network its own ceiling in code points, and text required', () => {
    expect(commentRefusalOf('linkedin', '😀'.repeat(1250))).toBeUndefined();
    expect(commentRefusalOf('linkedin', 'a'.repeat(1251))).toMatch(/comment is too long \(1251 > 1250\)/);
    expect(commentRefusalOf('facebook', 'a'.repeat(8000))).toBeUndefined();
    expect(commentRefusalOf('facebook', 'a'.repeat(8001))).toMatch(/8001 > 8000/);
    expect(commentRefusalOf('instagram', 'a'.repeat(2201))).toMatch(/2201 > 2200/);
    expect(commentRefusalOf('instagram', '  ')).toMatch(/text is required/);
    expect(commentRefusalOf('x', 'hello')).toMatch(/takes no comments/);
  });

  it('tells each reason apart, with the count and the limit of a length, for the networks that word them their own way', () => {
    expect(refusalsOf('bluesky', '👩‍👩‍👧‍👦'.repeat(301), [])).toEqual([
      { kind: 'too_long', message: 'text is too long (301 > 300)', count: 301, max: 300 },
      { kind: 'too_long_bytes', message: 'text is too long (7525 bytes > 3000)', count: 7525, max: 3000 },
    ]);
    expect(refusalsOf('mastodon', 'a'.repeat(101), [], { maxLength: 100 })).toEqual([{ kind: 'too_long', message: 'text is too long (101 > 100)', count: 101, max: 100 }]);
    expect(refusalsOf('x', '', [])).toEqual([{ kind: 'text_required', message: 'text is required when there is no media' }]);
    expect(refusalsOf('x', 'fine', [])).toEqual([]);
  });
});
