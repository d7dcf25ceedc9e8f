import { withUtm } from './tracked-links';

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
