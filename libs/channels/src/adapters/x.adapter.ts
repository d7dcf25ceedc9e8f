/** X API v2: media uploaded first, then `POST /2/tweets`; no idempotency key, so lookups read the timeline. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { BaseAdapter, findByText } from './base-adapter';
import { HttpReply, classifyAnswer, field, list } from './http';

export class XAdapter extends BaseAdapter {
  readonly network = 'x' as const;

  async publish({ credentials, content }: PublishRequest): Promise<PublishedPost> {
    const mediaIds: string[] = [];
    for (const item of content.media) {
      const uploaded = await this.send({ method: 'POST', path: '/2/media/upload', token: credentials.accessToken, body: { url: item.url, alt_text: item.alt } });
      mediaIds.push(field(uploaded.body, 'data', 'id') ?? '');
    }
    const reply = await this.send({
      method: 'POST',
      path: '/2/tweets',
      token: credentials.accessToken,
      body: { text: content.text, ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}) },
    });
    const id = field(reply.body, 'data', 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'X answered without a post id', { ambiguous: true });
    return this.toPublished(credentials.handle, id);
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const reply = await this.send({ method: 'GET', path: '/2/users/me/tweets', token: credentials.accessToken, query: { max_results: '100' } });
    const found = findByText(list(reply.body, 'data'), content.text, since, (post) => ({
      text: field(post, 'text'),
      createdAt: field(post, 'created_at'),
    }));
    const id = found ? field(found, 'id') : undefined;
    return id ? this.toPublished(credentials.handle, id) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    const reason = field(reply.body, 'detail') ?? field(reply.body, 'title') ?? '';
    return classifyAnswer(reply, reason, reply.status === 403 && /token/i.test(reason));
  }

  private toPublished(handle: string, id: string): PublishedPost {
    return { externalId: id, externalUrl: `https://x.com/${encodeURIComponent(handle)}/status/${id}` };
  }
}
