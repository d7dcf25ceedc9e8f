import { FeedUnreadable, parseFeed, render } from './feed-parser';

describe('parseFeed', () => {
  it('reads RSS 2.0 items: guid, title and link, the markup of the description dropped', () => {
    const items = parseFeed(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>
        <item><guid>g-2</guid><title>Two &amp; more</title><link>https://b.example/2</link><description>&lt;p&gt;Hi &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;</description></item>
        <item><title>No guid</title><link>https://b.example/1</link></item>
      </channel></rss>`,
      'application/rss+xml',
    );
    expect(items).toEqual([
      { guid: 'g-2', title: 'Two & more', link: 'https://b.example/2', summary: 'Hi there' },
      { guid: 'https://b.example/1', title: 'No guid', link: 'https://b.example/1', summary: '' },
    ]);
  });

  it('reads Atom entries, their alternate link', () => {
    const items = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
        <entry><id>urn:uuid:1</id><title type="html">First</title><link rel="self" href="https://a.example/self"/><link rel="alternate" href="https://a.example/1"/><summary>S</summary></entry>
      </feed>`,
    );
    expect(items).toEqual([{ guid: 'urn:uuid:1', title: 'First', link: 'https://a.example/1', summary: 'S' }]);
  });

  it('reads a JSON Feed', () => {
    const items = parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [{ id: '7', title: 'J', url: 'https://j.example/7', content_text: 'C' }] }), 'application/feed+json');
    expect(items).toEqual([{ guid: '7', title: 'J', link: 'https://j.example/7', summary: 'C' }]);
  });

  it('refuses what is not a feed, saying what it is', () => {
    expect(() => parseFeed('<html><body>hi</body></html>')).toThrow(new FeedUnreadable('is XML but neither RSS nor Atom'));
    expect(() => parseFeed('{"a": 1}')).toThrow(/not a JSON Feed/);
    expect(() => parseFeed('hello')).toThrow(/neither XML/);
  });

  it('does not expand entities a document declares', () => {
    const items = parseFeed(`<!DOCTYPE rss [<!ENTITY big "xxxxxxxxxx">]><rss><channel><item><guid>1</guid><title>&big;</title></item></channel></rss>`);
    expect(items[0]!.title).not.toContain('xxxxxxxxxx');
  });
});

describe('render', () => {
  it('fills the placeholders it knows, and empties the others', () => {
    expect(render('{{title}} {{ link }} {{nope}}', { title: 'T', link: 'https://l', summary: '' })).toBe('T https://l');
  });
});
