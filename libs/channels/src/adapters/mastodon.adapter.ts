/** Mastodon: `POST /api/v1/statuses` with `Idempotency-Key` (the delivery id), so a retry never posts twice. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { BaseAdapter, findByText } from './base-adapter';
import { HttpReply, classifyAnswer, field } from './http';

export class MastodonAdapter extends BaseAdapter {
  readonly network = 'mastodon' as const;

  async publish({ credentials, content, idempotencyKey }: PublishRequest): Promise<PublishedPost> {
    const mediaIds: string[] = [];
    for (const item of content.media) {
      const uploaded = await this.send({ method: 'POST', path: '/api/v2/media', token: credentials.accessToken, body: { url: item.url, description: item.alt } });
      mediaIds.push(field(uploaded.body, 'id') ?? '');
    }
    const reply = await this.send({
      method: 'POST',
      path: '/api/v1/statuses',
      token: credentials.accessToken,
      headers: { 'idempotency-key': idempotencyKey },
      body: { status: content.text, ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}) },
    });
    return this.toPublished(reply.body);
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const me = await this.send({ method: 'GET', path: '/api/v1/accounts/verify_credentials', token: credentials.accessToken });
    const reply = await this.send({ method: 'GET', path: `/api/v1/accounts/${field(me.body, 'id') ?? ''}/statuses`, token: credentials.accessToken, query: { limit: '40' } });
    const statuses = Array.isArray(reply.body) ? reply.body : [];
    const found = findByText(statuses, content.text, since, (status) => ({
      text: field(status, 'text') ?? stripHtml(field(status, 'content') ?? ''),
      createdAt: field(status, 'created_at'),
    }));
    return found ? this.toPublished(found) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    const reason = field(reply.body, 'error') ?? '';
    return classifyAnswer(reply, reason, /access token/i.test(reason));
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
