/**
 * Mastodon: `POST /api/v1/statuses` with `Idempotency-Key` (the delivery id), so a retry never posts twice,
 * with the channel's default `visibility` and `language` where it has them.
 */
import { CallContext, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { mastodonError } from './mastodon.errors';

export class MastodonAdapter extends BaseAdapter {
  readonly network = 'mastodon' as const;

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { content, idempotencyKey, defaults } = request;
    const api = this.api(request);
    const mediaIds: string[] = [];
    for (const item of content.media) {
      const uploaded = await api.post('/api/v2/media', { url: item.url, description: item.alt });
      mediaIds.push(field(uploaded.body, 'id') ?? '');
    }
    const reply = await api.post(
      '/api/v1/statuses',
      {
        status: content.text,
        ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
        ...(defaults?.visibility ? { visibility: defaults.visibility } : {}),
        ...(defaults?.language ? { language: defaults.language } : {}),
      },
      { headers: { 'idempotency-key': idempotencyKey } },
    );
    return this.toPublished(reply.body);
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
