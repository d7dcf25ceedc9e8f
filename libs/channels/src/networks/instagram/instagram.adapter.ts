/**
 * Instagram content publishing: a media (or carousel) container, kept before
 * `media_publish`, so a lookup asks the container's `status_code` instead
 * of matching text (see graph-containers). Media go by Herald's public
 * link: one image, or one video as a reel, in the post's own container; two
 * or more as carousel children (each kept as its item's upload) under a
 * CAROUSEL container. Deliveries without a kept container are looked up in
 * the user's media since the claim.
 */
import { GRAPH_VERSION } from '../meta/meta-oauth';
import { CallContext, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { BaseAdapter, TimelinePost, epochMs } from '../../base-adapter';
import { NetworkClient } from '../../http/network-client';
import { ContainerStatus, ContainerSteps, carouselChildren, containerState, containerToPublish, createdId, graphNode } from '../meta/graph-containers';
import { graphError } from '../meta/graph-errors';
import { HttpReply, field, list } from '../../http/http';
import { withMediaLinksChecked } from '../meta/media-links';

import { AccountFigures, MetricsReading, MetricsRequest, accountFigures, count } from '../../metrics';
import { INSTAGRAM_INSIGHTS, readGraphInsights } from '../meta/graph-insights';

export class InstagramAdapter extends BaseAdapter {
  readonly network = 'instagram' as const;
  readonly metricsBatchSize = 1;

  /** One post a call: its insights (see meta/graph-insights). */
  async readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    const api = this.client(this.options.endpoints.instagram.graph, request);
    const readings: MetricsReading[] = [];
    for (const id of request.externalIds) readings.push(await readGraphInsights(api, id, INSTAGRAM_INSIGHTS));
    return readings;
  }

  /** `GET /{ig-user-id}?fields=followers_count,follows_count,media_count`. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const api = this.client(this.options.endpoints.instagram.graph, context);
    const user = (await api.get(`/${GRAPH_VERSION}/${graphNode(context.credentials)}`, { fields: 'followers_count,follows_count,media_count' })).body as Record<string, unknown> | undefined;
    return accountFigures({ followers: count(user?.followers_count), following: count(user?.follows_count), posts: count(user?.media_count) });
  }

  /** Publishes once; a media download the network says failed is checked against Herald's own links (see media-links). */
  publish(request: PublishRequest): Promise<PublishedPost> {
    if (request.replyTo) return this.comment(request, request.replyTo.parent.externalId);
    return withMediaLinksChecked(request, () => this.publishOnce(request));
  }

  private async publishOnce(request: PublishRequest): Promise<PublishedPost> {
    if (request.content.media.length === 0) throw new NetworkError('rejected', 'media_required', 'An Instagram post needs at least one image or video');
    const api = this.client(this.options.endpoints.instagram.graph, request);
    const container = await containerToPublish(api, request, this.steps(request));
    if (container === 'published') return profileOnly(request.credentials.handle);
    const published = await api.post(`/${GRAPH_VERSION}/${graphNode(request.credentials)}/media_publish`, undefined, { query: { creation_id: container.containerId } });
    const id = field(published.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Instagram answered without a media id', { ambiguous: true });
    return { externalId: id, externalUrl: `https://www.instagram.com/p/${id}/` };
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.client(this.options.endpoints.instagram.graph, request);
    if (request.replyTo) return this.commentOn(api, request, request.replyTo.parent.externalId);
    if (request.ref) {
      if (containerState((await this.status(api, request.ref)).status) !== 'published') return null;
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
    const media = `/${GRAPH_VERSION}/${graphNode(request.credentials)}/media`;
    const status = (api: NetworkClient, containerId: string) => this.status(api, containerId);
    return {
      network: 'Instagram',
      create: async (api) => {
        let container: Record<string, string>;
        if (content.media.length > 1) {
          const children = await carouselChildren(api, request, {
            network: 'Instagram',
            createChild: async (api, item) => createdId((await api.post(media, childFields(item))).body, 'Instagram'),
            status,
          });
          container = { media_type: 'CAROUSEL', children: children.join(','), caption: content.text };
        } else {
          container = { ...singleFields(content.media[0]!), caption: content.text };
        }
        return createdId((await api.post(media, container)).body, 'Instagram');
      },
      status,
    };
  }

  private async status(api: NetworkClient, containerId: string): Promise<ContainerStatus> {
    const { body } = await api.get(`/${GRAPH_VERSION}/${encodeURIComponent(containerId)}`, { fields: 'status_code,status' });
    return { status: field(body, 'status_code'), message: field(body, 'status') };
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

  /** A first comment: `POST /{ig-media-id}/comments` (`message`); it is no post, so no publishing quota is spent. */
  private async comment(request: PublishRequest, mediaId: string): Promise<PublishedPost> {
    const api = this.client(this.options.endpoints.instagram.graph, request);
    const reply = await api.post(`/${GRAPH_VERSION}/${encodeURIComponent(mediaId)}/comments`, { message: request.content.text });
    const id = field(reply.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Instagram answered without a comment id', { ambiguous: true });
    return commentPublished(mediaId, id);
  }

  /** The account's comment on its media with this text, if it is there (`GET /{ig-media-id}/comments`). */
  private async commentOn(api: NetworkClient, request: LookupRequest, mediaId: string): Promise<PublishedPost | null> {
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/${GRAPH_VERSION}/${encodeURIComponent(mediaId)}/comments`, { fields: 'id,text,timestamp,username', after: cursor });
      return {
        posts: list(reply.body, 'data').map((comment) => ({ id: field(comment, 'id') ?? '', text: field(comment, 'text'), createdAt: undefined })),
        next: field(reply.body, 'paging', 'next') ? field(reply.body, 'paging', 'cursors', 'after') : undefined,
      };
    });
    return found ? commentPublished(mediaId, found.id) : null;
  }
}

function toPublished(post: TimelinePost): PublishedPost {
  return { externalId: post.id, externalUrl: post.url ?? `https://www.instagram.com/p/${post.id}/` };
}

/** A post Instagram confirmed (its container is PUBLISHED) without saying its id. */
function profileOnly(handle: string): PublishedPost {
  return { externalId: null, externalUrl: `https://www.instagram.com/${encodeURIComponent(handle)}/` };
}

/** A post of one item: an image with its alt text, or a video as a reel (Instagram takes alt text for images only). */
export function singleFields(item: PublishableMedia): Record<string, string> {
  return item.type === 'video' ? { media_type: 'REELS', video_url: item.publicUrl } : imageFields(item);
}

/** One carousel child. */
export function childFields(item: PublishableMedia): Record<string, string> {
  return { ...(item.type === 'video' ? { media_type: 'VIDEO', video_url: item.publicUrl } : imageFields(item)), is_carousel_item: 'true' };
}

function imageFields(item: PublishableMedia): Record<string, string> {
  return { image_url: item.publicUrl, ...(item.alt ? { alt_text: item.alt } : {}) };
}

/** A comment is shown on its media's page. */
function commentPublished(mediaId: string, id: string): PublishedPost {
  return { externalId: id, externalUrl: `https://www.instagram.com/p/${mediaId}/?comment_id=${id}` };
}
