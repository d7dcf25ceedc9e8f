/** X API v2: media uploaded first, then `POST /2/tweets`; no idempotency key, so lookups read the user's timeline since the claim. */
import { extractUrlsWithIndices } from 'twitter-text';
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, TimelinePage, epochMs, pollUntil } from '../../base-adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { AccountFigures, MetricsReading, MetricsRequest, accountFigures, count } from '../../metrics';
import { xError } from './x.errors';
import { X_METRICS_BATCH, X_NON_PUBLIC_MS, readXMetrics } from './x.metrics';

/** X's page size ceiling for a user's posts (`max_results` 5–100). */
const PAGE_SIZE = '100';
/** The append segment X's chunked upload takes (at most 5 MB; 4 MiB as X's own clients send). */
const SEGMENT_BYTES = 4 * 1024 * 1024;

export class XAdapter extends BaseAdapter {
  readonly network = 'x' as const;
  readonly metricsBatchSize = X_METRICS_BATCH;

  /**
   * Up to 100 posts in one `GET /2/tweets?ids=` (see x.metrics): those published less than 30 days ago (the channel's own)
   * with `non_public_metrics` too (link and profile clicks), the older ones (or of unknown age) public only, a call each.
   */
  async readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    const api = this.api(request);
    const recent: string[] = [];
    const older: string[] = [];
    request.externalIds.forEach((id, index) => {
      const publishedAt = request.publishedAt?.[index];
      (publishedAt && Date.now() - publishedAt.getTime() < X_NON_PUBLIC_MS ? recent : older).push(id);
    });
    return [...(recent.length > 0 ? await readXMetrics(api, recent, true) : []), ...(older.length > 0 ? await readXMetrics(api, older, false) : [])];
  }

  /** `GET /2/users/me?user.fields=public_metrics`: followers, following, posts (`tweet_count`), and `listed_count` under extra. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const body = (await this.api(context).get('/2/users/me', { 'user.fields': 'public_metrics' })).body;
    const figures = (body as { data?: { public_metrics?: Record<string, unknown> } } | undefined)?.data?.public_metrics ?? {};
    return accountFigures({ followers: count(figures.followers_count), following: count(figures.following_count), posts: count(figures.tweet_count), extra: { listed_count: count(figures.listed_count) } });
  }

  /** `DELETE /2/tweets/:id` (`{data: {deleted: true}}`); X's 404 is a post that is not there. */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    return this.deleting(() => this.api(request).delete(`/2/tweets/${encodeURIComponent(request.externalId)}`));
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { credentials, content } = request;
    const api = this.api(request);
    const mediaIds: string[] = [];
    for (const item of content.media) mediaIds.push(await this.uploadMedia(api, request, item));
    const reply = await api.post('/2/tweets', {
      text: content.text,
      ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}),
      // A part of a thread (or a first comment): a reply to the part before.
      ...(request.replyTo ? { reply: { in_reply_to_tweet_id: request.replyTo.parent.externalId } } : {}),
    });
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

  /**
   * One file through X's v2 media upload: a still image in one multipart
   * call; video and animated GIFs initialized, appended in 4 MiB segments
   * and finalized, then polled until processed. The media id is kept at
   * once (X keeps it for `expires_after_secs`), so a retry reuses it; alt
   * text goes through the metadata call.
   */
  private async uploadMedia(api: NetworkClient, request: PublishRequest, item: PublishableMedia): Promise<string> {
    let id = request.uploads.get(item.key);
    let processing = id !== undefined;
    if (id === undefined) {
      const chunked = item.type === 'video' || (item.mimeType === 'image/gif' && item.animated === true);
      let answer: unknown;
      if (!chunked) {
        answer = (
          await api.post(
            '/2/media/upload',
            { fields: { media_category: 'tweet_image', media_type: item.mimeType }, files: [{ field: 'media', filename: item.filename, contentType: item.mimeType, bytes: await item.read() }] },
            { as: 'multipart' },
          )
        ).body;
        id = field(answer, 'data', 'id');
      } else {
        const category = item.type === 'video' ? 'tweet_video' : 'tweet_gif';
        const started = await api.post('/2/media/upload/initialize', { media_type: item.mimeType, total_bytes: item.size, media_category: category });
        id = field(started.body, 'data', 'id');
        if (!id) throw new NetworkError('transient', 'bad_answer', 'X answered the media upload without a media id');
        for (let segment = 0, start = 0; start < item.size; segment += 1, start += SEGMENT_BYTES) {
          const bytes = await item.readRange(start, Math.min(item.size, start + SEGMENT_BYTES));
          await api.post(
            `/2/media/upload/${encodeURIComponent(id)}/append`,
            { fields: { segment_index: String(segment) }, files: [{ field: 'media', filename: item.filename, contentType: 'application/octet-stream', bytes }] },
            { as: 'multipart' },
          );
        }
        answer = (await api.post(`/2/media/upload/${encodeURIComponent(id)}/finalize`, undefined)).body;
        processing = field(answer, 'data', 'processing_info', 'state') !== undefined;
      }
      if (!id) throw new NetworkError('transient', 'bad_answer', 'X answered the media upload without a media id');
      const lifetime = Number(field(answer, 'data', 'expires_after_secs'));
      await request.uploads.keep(item.key, id, new Date(Date.now() + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 86_400) * 1000));
    }
    if (item.alt) await api.post('/2/media/metadata', { id, metadata: { alt_text: { text: item.alt } } });
    if (processing) await this.processed(api, request, id);
    return id;
  }

  /** Polls `GET /2/media/upload?command=STATUS` until X says `succeeded`; `failed` is X refusing the file. */
  private processed(api: NetworkClient, request: PublishRequest, id: string): Promise<void> {
    return pollUntil(request, 'The video on X', async () => {
      const status = await api.get('/2/media/upload', { media_id: id, command: 'STATUS' });
      const state = field(status.body, 'data', 'processing_info', 'state');
      if (state === undefined || state === 'succeeded') return { done: undefined };
      if (state === 'failed') {
        const reason = field(status.body, 'data', 'processing_info', 'error', 'message') ?? 'X could not process the file';
        throw new NetworkError('rejected', 'media_rejected', `X refused the media: ${reason}`);
      }
      const after = Number(field(status.body, 'data', 'processing_info', 'check_after_secs'));
      return { waitMs: (Number.isFinite(after) && after > 0 ? after : 1) * 1000 };
    });
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
