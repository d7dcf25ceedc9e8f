import { holdsLink, linksFor, withUtm } from './tracked-links';

describe('withUtm', () => {
  it('adds the network as source, social as medium and the campaign to each link, keeping its query and the sentence around it', () => {
    expect(withUtm('Read https://blog.example.com/a?x=1. Or (https://b.example/c)!', 'mastodon', { campaign: 'launch' })).toBe(
      'Read https://blog.example.com/a?x=1&utm_source=mastodon&utm_medium=social&utm_campaign=launch. Or (https://b.example/c?utm_source=mastodon&utm_medium=social&utm_campaign=launch)!',
    );
  });

  it('takes a source and medium given, and leaves a link that already has a utm_source', () => {
    expect(withUtm('https://a.example/p', 'x', { source: 'news', medium: 'post' })).toBe('https://a.example/p?utm_source=news&utm_medium=post');
    expect(withUtm('https://a.example/p?utm_source=mine', 'x', {})).toBe('https://a.example/p?utm_source=mine');
    expect(withUtm('no link here', 'x', {})).toBe('no link here');
  });
});

describe('linksFor', () => {
  it("takes each field the post gives, and the channel's for the rest", () => {
    expect(linksFor(undefined, undefined)).toEqual({ shorten: false });
    expect(linksFor(undefined, { utm: { campaign: 'always' }, shorten: true })).toEqual({ utm: { campaign: 'always' }, shorten: true });
    expect(linksFor({ utm: true }, { utm: { campaign: 'always' }, shorten: true })).toEqual({ utm: {}, shorten: true });
    expect(linksFor({ utm: false, shorten: false }, { utm: true, shorten: true })).toEqual({ shorten: false });
    expect(linksFor({ shorten: true }, { utm: false })).toEqual({ shorten: true });
  });
});

describe('holdsLink', () => {
  it('finds a link in the text, a variant, a later part or the first comment', () => {
    expect(holdsLink({ text: 'no link' })).toBe(false);
    expect(holdsLink({ text: 'see https://a.example' })).toBe(true);
    expect(holdsLink({ text: 'x', variants: { c: 'http://a.example' } })).toBe(true);
    expect(holdsLink({ text: 'x', parts: [{ text: 'x' }, { text: 'y', variants: { c: 'https://a.example' } }] })).toBe(true);
    expect(holdsLink({ text: 'x', firstComment: { text: 'https://a.example' } })).toBe(true);
  });
});
