/**
 * Mastodon: `POST /api/v1/statuses` with `Idempotency-Key` (the delivery id), so a retry never posts twice,
 * with the channel's default `visibility` and `language` where it has them.
 */
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, epochMs, pollUntil } from '../../base-adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { mastodonError } from './mastodon.errors';
import { AccountFigures, MetricsReading, MetricsRequest, accountFigures, count } from '../../metrics';
import { readMastodonMetrics } from './mastodon.metrics';

/** Mastodon removes attachments no status took after a day; a kept one is not reused past 23 hours. */
const ATTACHMENT_LIFETIME_MS = 23 * 3_600_000;


export class MastodonAdapter extends BaseAdapter {
  readonly network = 'mastodon' as const;

  /** `DELETE /api/v1/statuses/:id` (answers the deleted status); Mastodon's 404 `Record not found` is a status that is not there. */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    return this.deleting(() => this.api(request).delete(`/api/v1/statuses/${encodeURIComponent(request.externalId)}`));
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { content, idempotencyKey, defaults } = request;
    const api = this.api(request);
    const mediaIds: string[] = [];
    for (const item of content.media) mediaIds.push(await this.uploadMedia(api, request, item));
    const reply = await api.post(
      '/api/v1/statuses',
      {
        status: content.text,
        ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
        ...(request.replyTo ? { in_reply_to_id: request.replyTo.parent.externalId } : {}),
        ...(defaults?.visibility ? { visibility: defaults.visibility } : {}),
        ...(defaults?.language ? { language: defaults.language } : {}),
      },
      { headers: { 'idempotency-key': idempotencyKey } },
    );
    return this.toPublished(reply.body);
  }

  /**
   * One file: `POST /api/v2/media` multipart (`file`, `description`), kept
   * at once (an unattached attachment lives a day on the instance), then,
   * while the instance is still processing it (202, then 206 on
   * `GET /api/v1/media/:id`), polled until it is ready to attach.
   */
  private async uploadMedia(api: NetworkClient, request: PublishRequest, item: PublishableMedia): Promise<string> {
    let id = request.uploads.get(item.key);
    let ready = false;
    if (id === undefined) {
      const reply = await api.post(
        '/api/v2/media',
        { fields: item.alt ? { description: item.alt } : {}, files: [{ field: 'file', filename: item.filename, contentType: item.mimeType, bytes: await item.read() }] },
        { as: 'multipart' },
      );
      id = field(reply.body, 'id');
      if (!id) throw new NetworkError('transient', 'bad_answer', 'Mastodon answered the media upload without an id');
      await request.uploads.keep(item.key, id, new Date(Date.now() + ATTACHMENT_LIFETIME_MS));
      ready = reply.status === 200 && field(reply.body, 'url') !== undefined;
    }
    if (!ready) {
      const mediaId = id;
      await pollUntil(request, 'The file on Mastodon', async () => {
        const reply = await api.get(`/api/v1/media/${encodeURIComponent(mediaId)}`);
        return reply.status === 200 && field(reply.body, 'url') !== undefined ? { done: undefined } : { waitMs: 1000 };
      });
    }
    return id;
  }

  /**
   * Not needed for publishing (a resend with the same Idempotency-Key is safe),
   * but kept honest: the account's statuses newest first, 40 a page, following
   * the `Link` header's `rel="next"` (`max_id`) until one is older than the claim.
   */
  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    const accountId = field((await api.get('/api/v1/accounts/verify_credentials')).body, 'id') ?? '';
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/api/v1/accounts/${encodeURIComponent(accountId)}/statuses`, { limit: '40', max_id: cursor });
      const statuses = Array.isArray(reply.body) ? reply.body : [];
      return {
        posts: statuses.map((status) => ({
          id: field(status, 'id') ?? '',
          text: field(status, 'text') ?? stripHtml(field(status, 'content') ?? ''),
          createdAt: epochMs(field(status, 'created_at')),
          mediaCount: list(status, 'media_attachments').length,
          url: field(status, 'url'),
        })),
        next: nextMaxId(reply.headers.get('link')),
      };
    });
    return found ? { externalId: found.id, externalUrl: found.url ?? '' } : null;
  }

  readonly metricsBatchSize = 1;

  /** One status a call (see mastodon.metrics). */
  async readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    const api = this.api(request);
    const readings: MetricsReading[] = [];
    for (const id of request.externalIds) readings.push(await readMastodonMetrics(api, id));
    return readings;
  }

  /** `GET /api/v1/accounts/verify_credentials`: `followers_count`, `following_count`, `statuses_count`. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const account = (await this.api(context).get('/api/v1/accounts/verify_credentials')).body as Record<string, unknown> | undefined;
    return accountFigures({ followers: count(account?.followers_count), following: count(account?.following_count), posts: count(account?.statuses_count) });
  }

  protected toError(reply: HttpReply): NetworkError {
    return mastodonError(reply);
  }

  /** The channel's own instance; a channel connected before instances were kept is on the default one. */
  private api(context: CallContext): NetworkClient {
    const instance = context.credentials.host ?? this.options.endpoints.mastodon.fallbackInstance;
    if (!instance) throw new NetworkError('rejected', 'instance_unknown', 'This Mastodon channel does not say its instance: reconnect it');
    return this.client(instance, context);
  }

  private toPublished(status: unknown): PublishedPost {
    const id = field(status, 'id');
    const url = field(status, 'url');
    if (!id || !url) throw new NetworkError('transient', 'bad_answer', 'Mastodon answered without a status id', { ambiguous: true });
    return { externalId: id, externalUrl: url };
  }
}

function stripHtml(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The `max_id` of a `Link` header's `rel="next"` page, if there is one. */
export function nextMaxId(link: string | null): string | undefined {
  const next = link?.split(',').find((part) => /rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return undefined;
  try {
    return new URL(url).searchParams.get('max_id') ?? undefined;
  } catch {
    return undefined;
  }
}
