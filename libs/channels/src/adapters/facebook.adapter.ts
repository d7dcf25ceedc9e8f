/** A Facebook Page: `POST /{page}/feed`; lookups read the Page's feed. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { BaseAdapter, findByText } from './base-adapter';
import { graphError } from './graph-errors';
import { HttpReply, field, list } from './http';

export class FacebookAdapter extends BaseAdapter {
  readonly network = 'facebook' as const;

  async publish({ credentials, content }: PublishRequest): Promise<PublishedPost> {
    const reply = await this.send({
      method: 'POST',
      path: '/v21.0/me/feed',
      token: credentials.accessToken,
      body: { message: content.text, ...(content.media.length > 0 ? { attached_media: content.media.map((item) => ({ url: item.url, alt: item.alt })) } : {}) },
    });
    const id = field(reply.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Facebook answered without a post id', { ambiguous: true });
    return toPublished(id);
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const reply = await this.send({ method: 'GET', path: '/v21.0/me/feed', token: credentials.accessToken, query: { fields: 'id,message,created_time', limit: '100' } });
    const found = findByText(list(reply.body, 'data'), content.text, since, (post) => ({ text: field(post, 'message'), createdAt: field(post, 'created_time') }));
    const id = found ? field(found, 'id') : undefined;
    return id ? toPublished(id) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return graphError(reply);
  }
}

function toPublished(id: string): PublishedPost {
  const [page, post] = id.split('_');
  return { externalId: id, externalUrl: `https://www.facebook.com/${page}/posts/${post ?? id}` };
}
