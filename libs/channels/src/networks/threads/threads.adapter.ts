/**
 * Threads: a media container, kept before `threads_publish`, so a lookup
 * asks the container's status instead of matching text (see
 * graph-containers). Media go by Herald's public link: one item in the
 * post's own container, two or more as carousel children (each kept as its
 * item's upload) under a CAROUSEL container. Deliveries without a kept
 * container are looked up in the user's threads since the claim, page by
 * page.
 */
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { NetworkError } from '../../errors';
import { PublishableMedia } from '../../content';
import { BaseAdapter, TimelinePost, epochMs } from '../../base-adapter';
import { NetworkClient } from '../../http/network-client';
import { ContainerStatus, ContainerSteps, carouselChildren, containerState, containerToPublish, createdId } from '../meta/graph-containers';
import { graphError, isGraphGone } from '../meta/graph-errors';
import { HttpReply, field, list } from '../../http/http';
import { withMediaLinksChecked } from '../meta/media-links';

import { AccountFigures, MetricsReading, MetricsRequest, accountFigures, count } from '../../metrics';
import { THREADS_INSIGHTS, readGraphInsights } from '../meta/graph-insights';

export class ThreadsAdapter extends BaseAdapter {
  readonly network = 'threads' as const;
  readonly metricsBatchSize = 1;

  /** One post a call: its insights (see meta/graph-insights). */
  async readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    const api = this.client(this.options.endpoints.threads.graph, request);
    const readings: MetricsReading[] = [];
    for (const id of request.externalIds) readings.push(await readGraphInsights(api, id, THREADS_INSIGHTS, 'v1.0'));
    return readings;
  }

  /** `GET /v1.0/me/threads_insights?metric=followers_count` (a total: `total_value.value`); Threads gives no following or posts count. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const api = this.client(this.options.endpoints.threads.graph, context);
    const entry = list((await api.get('/v1.0/me/threads_insights', { metric: 'followers_count' })).body, 'data').find((item) => field(item, 'name') === 'followers_count') as { total_value?: { value?: unknown } } | undefined;
    return accountFigures({ followers: count(entry?.total_value?.value) });
  }

  /**
   * `DELETE /{threads-media-id}` (`threads_delete`; `{success, deleted_id}`),
   * a post or a reply. A post that is not there is the Graph API's unknown
   * object (400, code 100, subcode 33): `gone`.
   */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    const api = this.client(this.options.endpoints.threads.graph, request);
    return this.deleting(() => api.delete(`/v1.0/${encodeURIComponent(request.externalId)}`), isGraphGone);
  }

  publish(request: PublishRequest): Promise<PublishedPost> {
    return withMediaLinksChecked(request, () => this.publishOnce(request));
  }

  private async publishOnce(request: PublishRequest): Promise<PublishedPost> {
    const api = this.client(this.options.endpoints.threads.graph, request);
    const container = await containerToPublish(api, request, this.steps(request));
    if (container === 'published') return this.profileOnly(request.credentials.handle);
    const published = await api.post('/v1.0/me/threads_publish', undefined, { query: { creation_id: container.containerId } });
    const id = field(published.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Threads answered without a post id', { ambiguous: true });
    return { externalId: id, externalUrl: `https://www.threads.net/@${encodeURIComponent(request.credentials.handle)}/post/${id}` };
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.client(this.options.endpoints.threads.graph, request);
    if (request.ref) {
      const state = containerState((await this.status(api, request.ref)).status);
      if (state !== 'published') return null;
      // Certainly published; its id, if the timeline shows it.
      const post = await this.inTimeline(api, request).catch(() => null);
      return post ? this.toPublished(request.credentials.handle, post) : this.profileOnly(request.credentials.handle);
    }
    const post = await this.inTimeline(api, request);
    return post ? this.toPublished(request.credentials.handle, post) : null;
  }

  private steps(request: PublishRequest): ContainerSteps {
    const { content } = request;
    const status = (api: NetworkClient, containerId: string) => this.status(api, containerId);
    return {
      network: 'Threads',
      create: async (api) => {
        let container: Record<string, string>;
        if (content.media.length > 1) {
          const children = await carouselChildren(api, request, {
            network: 'Threads',
            createChild: async (api, item) => createdId((await api.post('/v1.0/me/threads', { ...mediaFields(item), is_carousel_item: 'true' })).body, 'Threads'),
            status,
          });
          container = { media_type: 'CAROUSEL', children: children.join(','), text: content.text };
        } else if (content.media.length === 1) {
          container = { ...mediaFields(content.media[0]!), text: content.text };
        } else {
          container = { media_type: 'TEXT', text: content.text };
        }
        // A part of a thread: its container answers the part before (kept before it is published, like any container).
        if (request.replyTo) container = { ...container, reply_to_id: request.replyTo.parent.externalId };
        return createdId((await api.post('/v1.0/me/threads', container)).body, 'Threads');
      },
      status,
    };
  }

  private async status(api: NetworkClient, containerId: string): Promise<ContainerStatus> {
    const { body } = await api.get(`/v1.0/${encodeURIComponent(containerId)}`, { fields: 'status,error_message' });
    return { status: field(body, 'status'), message: field(body, 'error_message') };
  }

  /** The user's threads since the claim (`since`, Unix seconds), following `paging.cursors.after`. */
  private inTimeline(api: NetworkClient, request: LookupRequest): Promise<TimelinePost | null> {
    const since = String(Math.floor(request.since.getTime() / 1000));
    // Threads lists the user's replies apart from their threads.
    const listing = request.replyTo ? '/v1.0/me/replies' : '/v1.0/me/threads';
    return this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(listing, { fields: 'id,text,timestamp,permalink,media_type,children', limit: '100', since, after: cursor });
      return {
        posts: list(reply.body, 'data').map((post) => ({
          id: field(post, 'id') ?? '',
          text: field(post, 'text'),
          createdAt: epochMs(field(post, 'timestamp')),
          mediaCount: threadsMediaCount(post),
          url: field(post, 'permalink'),
        })),
        next: field(reply.body, 'paging', 'next') ? field(reply.body, 'paging', 'cursors', 'after') : undefined,
      };
    });
  }

  private toPublished(handle: string, post: TimelinePost): PublishedPost {
    return { externalId: post.id, externalUrl: post.url ?? `https://www.threads.net/@${encodeURIComponent(handle)}/post/${post.id}` };
  }

  /** A post Threads confirmed (its container is PUBLISHED) without saying its id. */
  private profileOnly(handle: string): PublishedPost {
    return { externalId: null, externalUrl: `https://www.threads.net/@${encodeURIComponent(handle)}` };
  }

  protected toError(reply: HttpReply): NetworkError {
    return graphError(reply);
  }
}

function threadsMediaCount(post: unknown): number | undefined {
  const type = field(post, 'media_type');
  if (type === undefined) return undefined;
  if (type === 'TEXT_POST' || type === 'TEXT') return 0;
  if (type === 'CAROUSEL_ALBUM' || type === 'CAROUSEL') return list(post, 'children', 'data').length || undefined;
  return 1;
}

/** One item's fields, by the link Threads fetches it from; its alt text where it has one. */
export function mediaFields(item: PublishableMedia): Record<string, string> {
  const video = item.type === 'video';
  return { media_type: video ? 'VIDEO' : 'IMAGE', [video ? 'video_url' : 'image_url']: item.publicUrl, ...(item.alt ? { alt_text: item.alt } : {}) };
}
