/** A Facebook Page: `POST /{page}/feed`; lookups page the Page's feed since the claim. */
import { GRAPH_VERSION } from '../meta/meta-oauth';
import { LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { NetworkError } from '../../errors';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { graphNode } from '../meta/graph-containers';
import { graphError } from '../meta/graph-errors';
import { HttpReply, field, list } from '../../http/http';

export class FacebookAdapter extends BaseAdapter {
  readonly network = 'facebook' as const;

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { content } = request;
    const reply = await this.client(this.options.endpoints.facebook.graph, request).post(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/feed`, {
      message: content.text,
      ...(content.media.length > 0 ? { attached_media: content.media.map((item) => ({ url: item.publicUrl, alt: item.alt })) } : {}),
    });
    const id = field(reply.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Facebook answered without a post id', { ambiguous: true });
    return toPublished(id);
  }

  /** The Page's feed from `since` (Unix seconds), following `paging.cursors.after`. */
  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.client(this.options.endpoints.facebook.graph, request);
    const since = String(Math.floor(request.since.getTime() / 1000));
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/feed`, { fields: 'id,message,created_time,attachments', limit: '100', since, after: cursor });
      return {
        posts: list(reply.body, 'data').map((post) => ({
          id: field(post, 'id') ?? '',
          text: field(post, 'message'),
          createdAt: epochMs(field(post, 'created_time')),
          mediaCount: list(post, 'attachments', 'data').length,
        })),
        next: field(reply.body, 'paging', 'next') ? field(reply.body, 'paging', 'cursors', 'after') : undefined,
      };
    });
    return found ? toPublished(found.id) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return graphError(reply);
  }
}

function toPublished(id: string): PublishedPost {
  const [page, post] = id.split('_');
  return { externalId: id, externalUrl: `https://www.facebook.com/${page}/posts/${post ?? id}` };
}
