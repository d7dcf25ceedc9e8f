/** X API v2: media uploaded first, then `POST /2/tweets`; no idempotency key, so lookups read the user's timeline since the claim. */
import { extractUrlsWithIndices } from 'twitter-text';
import { CallContext, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, TimelinePage, epochMs } from '../../base-adapter';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { xError } from './x.errors';

/** X's page size ceiling for a user's posts (`max_results` 5–100). */
const PAGE_SIZE = '100';

export class XAdapter extends BaseAdapter {
  readonly network = 'x' as const;

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { credentials, content } = request;
    const api = this.api(request);
    const mediaIds: string[] = [];
    for (const item of content.media) {
      const uploaded = await api.post('/2/media/upload', { url: item.url, alt_text: item.alt });
      mediaIds.push(field(uploaded.body, 'data', 'id') ?? '');
    }
    const reply = await api.post('/2/tweets', { text: content.text, ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}) });
    const id = field(reply.body, 'data', 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'X answered without a post id', { ambiguous: true });
    return this.toPublished(credentials.handle, id);
  }

  /**
   * `GET /2/users/:id/tweets` from `start_time` (X filters by time itself),
   * following `next_token`. X returns each link as a t.co link, so texts are
   * compared with every URL (as X finds them) standing for any URL.
   */
  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    // Channels connected through OAuth know their user id; older ones ask.
    const userId = request.credentials.accountId ?? field((await api.get('/2/users/me')).body, 'data', 'id');
    if (!userId) throw new NetworkError('transient', 'bad_answer', 'X answered /2/users/me without a user id');
    const startTime = new Date(Math.floor(request.since.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const found = await this.findInTimeline(request, (cursor) => this.timelinePage(api, userId, startTime, cursor), sameTextButLinks);
    return found ? this.toPublished(request.credentials.handle, found.id) : null;
  }

  private async timelinePage(api: NetworkClient, userId: string, startTime: string, cursor: string | undefined): Promise<TimelinePage> {
    const reply = await api.get(`/2/users/${encodeURIComponent(userId)}/tweets`, {
      max_results: PAGE_SIZE,
      start_time: startTime,
      'tweet.fields': 'created_at,attachments',
      pagination_token: cursor,
    });
    return {
      posts: list(reply.body, 'data').map((tweet) => ({
        id: field(tweet, 'id') ?? '',
        text: field(tweet, 'text'),
        createdAt: epochMs(field(tweet, 'created_at')),
        mediaCount: list(tweet, 'attachments', 'media_keys').length,
      })),
      next: field(reply.body, 'meta', 'next_token'),
    };
  }

  protected toError(reply: HttpReply): NetworkError {
    return xError(reply);
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.options.endpoints.x.api, context);
  }

  private toPublished(handle: string, id: string): PublishedPost {
    return { externalId: id, externalUrl: `https://x.com/${encodeURIComponent(handle)}/status/${id}` };
  }
}

/** Equal once every URL in each (X's own URL finding) is the same placeholder: X shows links as t.co links. */
export function sameTextButLinks(posted: string, delivered: string): boolean {
  return withoutUrls(posted) === withoutUrls(delivered);
}

function withoutUrls(text: string): string {
  let result = '';
  let at = 0;
  for (const { indices } of extractUrlsWithIndices(text)) {
    result += `${text.slice(at, indices[0])}\u0000url\u0000`;
    at = indices[1];
  }
  return result + text.slice(at);
}
