/** Instagram content publishing: a media (or carousel) container, then `media_publish`. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { mediaType } from '../rules/validate-content';
import { BaseAdapter, findByText } from './base-adapter';
import { graphError } from './graph-errors';
import { HttpReply, field, list } from './http';

export class InstagramAdapter extends BaseAdapter {
  readonly network = 'instagram' as const;

  async publish({ credentials, content }: PublishRequest): Promise<PublishedPost> {
    const token = credentials.accessToken;
    let container: Record<string, unknown>;
    if (content.media.length > 1) {
      const children: string[] = [];
      for (const item of content.media) {
        const child = await this.send({ method: 'POST', path: '/v21.0/me/media', token, body: { ...mediaFields(item), is_carousel_item: true } });
        children.push(field(child.body, 'id') ?? '');
      }
      container = { media_type: 'CAROUSEL', children, caption: content.text };
    } else {
      container = { ...mediaFields(content.media[0] ?? { url: '' }), caption: content.text };
    }
    const created = await this.send({ method: 'POST', path: '/v21.0/me/media', token, body: container });
    const published = await this.send({ method: 'POST', path: '/v21.0/me/media_publish', token, body: { creation_id: field(created.body, 'id') } });
    const id = field(published.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Instagram answered without a media id', { ambiguous: true });
    return { externalId: id, externalUrl: `https://www.instagram.com/p/${id}/` };
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const reply = await this.send({ method: 'GET', path: '/v21.0/me/media', token: credentials.accessToken, query: { fields: 'id,caption,timestamp,permalink', limit: '100' } });
    const found = findByText(list(reply.body, 'data'), content.text, since, (post) => ({ text: field(post, 'caption'), createdAt: field(post, 'timestamp') }));
    const id = found ? field(found, 'id') : undefined;
    return id ? { externalId: id, externalUrl: field(found, 'permalink') ?? `https://www.instagram.com/p/${id}/` } : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return graphError(reply);
  }
}

function mediaFields(item: { url: string; alt?: string; type?: 'image' | 'video' }): Record<string, string> {
  const video = mediaType(item) === 'video';
  return { ...(video ? { media_type: 'REELS', video_url: item.url } : { image_url: item.url }), ...(item.alt ? { alt_text: item.alt } : {}) };
}
