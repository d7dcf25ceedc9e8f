/**
 * The pieces crash recovery rests on, without a network: the timeline walk
 * (every page since the claim, its bound, what counts as the same post),
 * Bluesky's record keys, X's link-blind text comparison and Mastodon's Link
 * header.
 */
import { LookupRequest, PublishedPost } from './adapter';
import { BaseAdapter, TimelinePage, TimelinePost } from './base-adapter';
import { REAL_ENDPOINTS } from './endpoints';
import { NetworkError } from './errors';
import { HttpReply } from './http/http';
import { isTid, newTid } from './networks/bluesky/tid';
import { nextMaxId } from './networks/mastodon/mastodon.adapter';
import { sameTextButLinks } from './networks/x/x.adapter';

class Walker extends BaseAdapter {
  readonly network = 'x' as const;
  publish(): Promise<PublishedPost> {
    throw new Error('not used');
  }
  lookup(): Promise<PublishedPost | null> {
    throw new Error('not used');
  }
  protected toError(_reply: HttpReply): NetworkError {
    throw new Error('not used');
  }
  walk(request: LookupRequest, readPage: (cursor: string | undefined) => Promise<TimelinePage>) {
    return this.findInTimeline(request, readPage);
  }
}

const SINCE = Date.parse('2026-12-01T09:00:00Z');

/** An account's posts, newest first, one per second from 09:10 back, served `size` a page. */
function account(texts: string[], size: number) {
  const posts: TimelinePost[] = texts.map((text, index) => ({ id: `p${index}`, text, createdAt: SINCE + (600 - index) * 1000, mediaCount: 0 }));
  const reads: (string | undefined)[] = [];
  const readPage = async (cursor: string | undefined): Promise<TimelinePage> => {
    reads.push(cursor);
    const start = Number(cursor ?? 0);
    const page = posts.slice(start, start + size);
    return { posts: page, next: start + size < posts.length ? String(start + size) : undefined };
  };
  return { posts, reads, readPage };
}

function request(text: string, overrides: Partial<LookupRequest> = {}): LookupRequest {
  return {
    credentials: { handle: 'h', accessToken: 't' },
    content: { text, media: [] },
    idempotencyKey: 'd',
    since: new Date(SINCE),
    excludeExternalIds: new Set(),
    ...overrides,
  };
}

const walker = (maxPages = 20) => new Walker({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: maxPages });

describe('findInTimeline', () => {
  const texts = Array.from({ length: 250 }, (_, index) => `post ${index}`);

  it('reads page after page until it finds the post, however deep', async () => {
    const { reads, readPage } = account(texts, 100);
    expect(await walker().walk(request('post 240'), readPage)).toEqual(expect.objectContaining({ id: 'p240' }));
    expect(reads).toEqual([undefined, '100', '200']);
  });

  it('answers "not there" only after reading every page since the claim', async () => {
    const { reads, readPage } = account(texts, 100);
    expect(await walker().walk(request('never posted'), readPage)).toBeNull();
    expect(reads).toHaveLength(3);
  });

  it('stops at the first post older than the claim: what came before cannot be this delivery', async () => {
    const { posts, reads, readPage } = account(texts, 100);
    posts[120]!.createdAt = SINCE - 1;
    posts[130]!.text = 'old twin';
    expect(await walker().walk(request('old twin'), readPage)).toBeNull();
    expect(reads).toEqual([undefined, '100']);
  });

  it('cannot tell past its bound: lookup_too_deep, never "not there"', async () => {
    const { readPage } = account(texts, 100);
    await expect(walker(2).walk(request('post 240'), readPage)).rejects.toMatchObject({ code: 'lookup_too_deep', errorClass: 'transient', ambiguous: false });
    await expect(walker(2).walk(request('never posted'), readPage)).rejects.toMatchObject({ code: 'lookup_too_deep' });
    expect(await walker(3).walk(request('post 240'), readPage)).toEqual(expect.objectContaining({ id: 'p240' }));
  });

  it('ends on a last page inside its bound without being "too deep"', async () => {
    const { readPage } = account(texts.slice(0, 150), 100);
    expect(await walker(2).walk(request('never posted'), readPage)).toBeNull();
  });

  it('does not take a post another delivery is recorded as, nor one with other media', async () => {
    const { posts, readPage } = account(['same', 'same', 'same', 'other'], 100);
    posts[1]!.mediaCount = 2;
    expect(await walker().walk(request('same', { excludeExternalIds: new Set(['p0']) }), readPage)).toEqual(expect.objectContaining({ id: 'p2' }));
    expect(await walker().walk(request('same', { excludeExternalIds: new Set(['p0', 'p2']) }), readPage)).toBeNull();
    const withMedia = request('same', { excludeExternalIds: new Set(['p0']), content: { text: 'same', media: [{ url: 'https://a/1.png' }, { url: 'https://a/2.png' }] } });
    expect(await walker().walk(withMedia, readPage)).toEqual(expect.objectContaining({ id: 'p1' }));
  });
});

describe('Bluesky record keys', () => {
  it('are TIDs, later than every earlier one even within one millisecond', () => {
    const keys = Array.from({ length: 1000 }, () => newTid(Date.parse('2026-12-01T09:00:00Z')));
    expect(keys.every(isTid)).toBe(true);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(1000);
  });

  it('encode the time, so keys made later sort later', () => {
    const early = newTid(Date.parse('2030-01-01T00:00:00Z'));
    const late = newTid(Date.parse('2031-01-01T00:00:00Z'));
    expect(early < late).toBe(true);
    // 2030-01-01 in microseconds, shifted past the 10-bit clock id, in base32-sortable: the reference value from the spec's encoding.
    const micros = BigInt(Date.parse('2030-01-01T00:00:00Z')) * 1000n;
    const prefix = (micros << 10n).toString(32).padStart(13, '0');
    const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
    const expected = [...prefix].map((digit) => alphabet[parseInt(digit, 32)]).join('');
    expect(early.slice(0, 11)).toBe(expected.slice(0, 11));
    expect(isTid('3jzfcijpj2z2a')).toBe(true);
    expect(isTid('3jzfcijpj2z2')).toBe(false);
    expect(isTid('zjzfcijpj2z2a')).toBe(false);
  });
});

describe("X's texts", () => {
  it('are the same post whatever each link became (X shows t.co links)', () => {
    expect(sameTextButLinks('Launch! https://t.co/AbC123 today', 'Launch! https://herald.dev/launch?utm=x today')).toBe(true);
    expect(sameTextButLinks('Launch! https://t.co/AbC123', 'Launch! herald.dev')).toBe(true);
    expect(sameTextButLinks('Launch! https://t.co/AbC123 today', 'Launch! https://herald.dev tomorrow')).toBe(false);
    expect(sameTextButLinks('two https://t.co/a https://t.co/b', 'two https://a.example')).toBe(false);
  });
});

describe("Mastodon's Link header", () => {
  it('gives the next page by max_id', () => {
    expect(nextMaxId('<https://m.example/api/v1/accounts/1/statuses?limit=40&max_id=109>; rel="next", <https://m.example/api/v1/accounts/1/statuses?min_id=150>; rel="prev"')).toBe('109');
    expect(nextMaxId('<https://m.example/api/v1/accounts/1/statuses?min_id=150>; rel="prev"')).toBeUndefined();
    expect(nextMaxId(null)).toBeUndefined();
  });
});
