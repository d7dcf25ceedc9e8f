/** Threads: a media container, then `threads_publish`; lookups list the user's threads. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { mediaType } from '../rules/validate-content';
import { BaseAdapter, findByText } from './base-adapter';
import { graphError } from './graph-errors';
import { HttpReply, field, list } from './http';

export class ThreadsAdapter extends BaseAdapter {
  readonly network = 'threads' as const;

  async publish({ credentials, content }: PublishRequest): Promise<PublishedPost> {
    const token = credentials.accessToken;
    let container: Record<string, string>;
    if (content.media.length > 1) {
      const children: string[] = [];
      for (const item of content.media) {
        const child = await this.send({ method: 'POST', path: '/v1.0/me/threads', token, body: { ...mediaFields(item), is_carousel_item: true } });
        children.push(field(child.body, 'id') ?? '');
      }
      container = { media_type: 'CAROUSEL', children: children.join(','), text: content.text };
    } else if (content.media.length === 1) {
      container = { ...mediaFields(content.media[0]!), text: content.text };
    } else {
      container = { media_type: 'TEXT', text: content.text };
    }
    const created = await this.send({ method: 'POST', path: '/v1.0/me/threads', token, body: container });
    const published = await this.send({ method: 'POST', path: '/v1.0/me/threads_publish', token, body: { creation_id: field(created.body, 'id') } });
    const id = field(published.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Threads answered without a post id', { ambiguous: true });
    return { externalId: id, externalUrl: `https://www.threads.net/@${encodeURIComponent(credentials.handle)}/post/${id}` };
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const reply = await this.send({ method: 'GET', path: '/v1.0/me/threads', token: credentials.accessToken, query: { fields: 'id,text,timestamp,permalink', limit: '100' } });
    const found = findByText(list(reply.body, 'data'), content.text, since, (post) => ({ text: field(post, 'text'), createdAt: field(post, 'timestamp') }));
    const id = found ? field(found, 'id') : undefined;
    return id ? { externalId: id, externalUrl: field(found, 'permalink') ?? `https://www.threads.net/post/${id}` } : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return graphError(reply);
  }
}

function mediaFields(item: { url: string; alt?: string; type?: 'image' | 'video' }): Record<string, string> {
  const video = mediaType(item) === 'video';
  return { media_type: video ? 'VIDEO' : 'IMAGE', [video ? 'video_url' : 'image_url']: item.url, ...(item.alt ? { alt_text: item.alt } : {}) };
}
