/**
 * Instagram content publishing: a media (or carousel) container, kept before
 * `media_publish`, so a lookup asks the container's `status_code` instead
 * of matching text (see graph-containers). Deliveries without a kept
 * container are looked up in the user's media since the claim.
 */
import { GRAPH_VERSION } from '../meta/meta-oauth';
import { CallContext, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { MediaItem } from '../../content';
import { NetworkError } from '../../errors';
import { mediaType } from '../../rules/validate-content';
import { BaseAdapter, TimelinePost, epochMs } from '../../base-adapter';
import { NetworkClient } from '../../http/network-client';
import { ContainerSteps, containerState, containerToPublish, createdId, graphNode } from '../meta/graph-containers';
import { graphError } from '../meta/graph-errors';
import { HttpReply, field, list } from '../../http/http';

export class InstagramAdapter extends BaseAdapter {
  readonly network = 'instagram' as const;

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const api = this.client(this.options.endpoints.instagram.graph, request);
    const container = await containerToPublish(api, request, this.steps(request));
    if (container === 'published') return profileOnly(request.credentials.handle);
    const published = await api.post(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/media_publish`, { creation_id: container.containerId });
    const id = field(published.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Instagram answered without a media id', { ambiguous: true });
    return { externalId: id, externalUrl: `https://www.instagram.com/p/${id}/` };
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.client(this.options.endpoints.instagram.graph, request);
    if (request.ref) {
      if (containerState(await this.status(api, request.ref)) !== 'published') return null;
      const post = await this.inTimeline(api, request).catch(() => null);
      return post ? toPublished(post) : profileOnly(request.credentials.handle);
    }
    const post = await this.inTimeline(api, request);
    return post ? toPublished(post) : null;
  }

  /** `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config`: the account's cap (`quota_total` per `quota_duration` seconds). */
  async postingQuota(context: CallContext): Promise<{ posts: number; windowMs: number; used: number } | undefined> {
    const api = this.client(this.options.endpoints.instagram.graph, context);
    const answer = await api.get(`/${GRAPH_VERSION}/${graphNode(context.credentials)}/content_publishing_limit`, { fields: 'quota_usage,config' });
    const entry = list(answer.body, 'data')[0];
    const total = Number(field(entry, 'config', 'quota_total'));
    const duration = Number(field(entry, 'config', 'quota_duration'));
    if (!Number.isSafeInteger(total) || total < 1 || !Number.isFinite(duration) || duration <= 0) return undefined;
    const used = Number(field(entry, 'quota_usage'));
    return { posts: total, windowMs: duration * 1000, used: Number.isFinite(used) ? used : 0 };
  }

  private steps(request: PublishRequest): ContainerSteps {
    const { content } = request;
    return {
      create: async (api) => {
        let container: Record<string, unknown>;
        if (content.media.length > 1) {
          const children: string[] = [];
          for (const item of content.media) {
            const child = await api.post(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/media`, { ...mediaFields(item), is_carousel_item: true });
            children.push(createdId(child.body, 'Instagram'));
          }
          container = { media_type: 'CAROUSEL', children, caption: content.text };
        } else {
          container = { ...mediaFields(content.media[0] ?? { url: '' }), caption: content.text };
        }
        return createdId((await api.post(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/media`, container)).body, 'Instagram');
      },
      status: (api, containerId) => this.status(api, containerId),
    };
  }

  private async status(api: NetworkClient, containerId: string): Promise<string | undefined> {
    return field((await api.get(`/${GRAPH_VERSION}/${encodeURIComponent(containerId)}`, { fields: 'id,status_code' })).body, 'status_code');
  }

  /** The user's media since the claim (`since`, Unix seconds), following `paging.cursors.after`. */
  private inTimeline(api: NetworkClient, request: LookupRequest): Promise<TimelinePost | null> {
    const since = String(Math.floor(request.since.getTime() / 1000));
    return this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/media`, { fields: 'id,caption,timestamp,permalink,media_type,children', limit: '100', since, after: cursor });
      return {
        posts: list(reply.body, 'data').map((post) => ({
          id: field(post, 'id') ?? '',
          text: field(post, 'caption'),
          createdAt: epochMs(field(post, 'timestamp')),
          mediaCount: field(post, 'media_type') === 'CAROUSEL_ALBUM' ? list(post, 'children', 'data').length || undefined : field(post, 'media_type') ? 1 : undefined,
          url: field(post, 'permalink'),
        })),
        next: field(reply.body, 'paging', 'next') ? field(reply.body, 'paging', 'cursors', 'after') : undefined,
      };
    });
  }

  protected toError(reply: HttpReply): NetworkError {
    return graphError(reply);
  }
}

function toPublished(post: TimelinePost): PublishedPost {
  return { externalId: post.id, externalUrl: post.url ?? `https://www.instagram.com/p/${post.id}/` };
}

/** A post Instagram confirmed (its container is PUBLISHED) without saying its id. */
function profileOnly(handle: string): PublishedPost {
  return { externalId: null, externalUrl: `https://www.instagram.com/${encodeURIComponent(handle)}/` };
}

function mediaFields(item: MediaItem): Record<string, string> {
  const video = mediaType(item) === 'video';
  return { ...(video ? { media_type: 'REELS', video_url: item.url ?? '' } : { image_url: item.url ?? '' }), ...(item.alt ? { alt_text: item.alt } : {}) };
}
