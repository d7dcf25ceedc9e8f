/**
 * A Facebook Page: text as `POST /{page}/feed`; one photo as
 * `POST /{page}/photos` (its post is the answer's `post_id`); several as
 * unpublished photos (each kept as its item's upload) attached to a `/feed`
 * post; one video as `POST /{page}/videos`. Facebook fetches each file
 * from Herald's public link. Lookups page the Page's feed since the claim.
 */
import { GRAPH_VERSION } from '../meta/meta-oauth';
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { NetworkClient } from '../../http/network-client';
import { graphNode } from '../meta/graph-containers';
import { graphError, isGraphGone } from '../meta/graph-errors';
import { HttpReply, field, list } from '../../http/http';
import { withMediaLinksChecked } from '../meta/media-links';

import { AccountFigures, MetricsReading, MetricsRequest, accountFigures, count } from '../../metrics';
import { FACEBOOK_INSIGHTS, readGraphInsights } from '../meta/graph-insights';

export class FacebookAdapter extends BaseAdapter {
  readonly network = 'facebook' as const;
  readonly metricsBatchSize = 1;

  /** One post a call: its insights (see meta/graph-insights). */
  async readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    const api = this.client(this.options.endpoints.facebook.graph, request);
    const readings: MetricsReading[] = [];
    for (const id of request.externalIds) readings.push(await readGraphInsights(api, id, FACEBOOK_INSIGHTS));
    return readings;
  }

  /** `GET /{page-id}?fields=followers_count,fan_count`: the Page's followers, and its likes (`fan_count`) under extra. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const api = this.client(this.options.endpoints.facebook.graph, context);
    const page = (await api.get(`/${GRAPH_VERSION}/${graphNode(context.credentials)}`, { fields: 'followers_count,fan_count' })).body as Record<string, unknown> | undefined;
    return accountFigures({ followers: count(page?.followers_count), extra: { fan_count: count(page?.fan_count) } });
  }

  /**
   * `DELETE /{page-post-id}` with the Page's token (`{success: true}`; the
   * post's comments go with it). A post that is not there is the Graph
   * API's unknown object (400, code 100, subcode 33): `gone`.
   */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    const api = this.client(this.options.endpoints.facebook.graph, request);
    return this.deleting(() => api.delete(`/${GRAPH_VERSION}/${encodeURIComponent(request.externalId)}`), isGraphGone);
  }

  /** Publishes once; a media download the network says failed is checked against Herald's own links (see media-links). */
  publish(request: PublishRequest): Promise<PublishedPost> {
    if (request.replyTo) return this.comment(request, request.replyTo.parent.externalId);
    return withMediaLinksChecked(request, () => this.publishOnce(request));
  }

  private async publishOnce(request: PublishRequest): Promise<PublishedPost> {
    const { content } = request;
    const api = this.client(this.options.endpoints.facebook.graph, request);
    const page = `/${GRAPH_VERSION}/${graphNode(request.credentials)}`;
    const videos = content.media.filter((item) => item.type === 'video');
    if (videos.length > 0 && (videos.length > 1 || content.media.length > 1)) {
      throw new NetworkError('rejected', 'media_unsupported', 'A Facebook post takes one video alone, or images only');
    }
    if (videos.length === 1) {
      const reply = await api.post(`${page}/videos`, { file_url: videos[0]!.publicUrl, description: content.text });
      return videoPublished(answered(reply, 'id', 'a video id'));
    }
    if (content.media.length === 1) {
      const reply = await api.post(`${page}/photos`, { ...photoFields(content.media[0]!), message: content.text });
      return toPublished(answered(reply, 'post_id', 'the post id of its photo'));
    }
    const photos: string[] = [];
    for (const item of content.media) photos.push(await this.unpublishedPhoto(api, page, request, item));
    const reply = await api.post(`${page}/feed`, {
      message: content.text,
      ...(photos.length > 0 ? { attached_media: JSON.stringify(photos.map((id) => ({ media_fbid: id }))) } : {}),
    });
    return toPublished(answered(reply, 'id', 'a post id'));
  }

  /** The Page's feed from `since` (Unix seconds), following `paging.cursors.after`. */
  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.client(this.options.endpoints.facebook.graph, request);
    if (request.replyTo) return this.commentOn(api, request, request.replyTo.parent.externalId);
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

  /** A first comment: `POST /{page-post-id}/comments` with the Page's token (the Page comments as itself). */
  private async comment(request: PublishRequest, postId: string): Promise<PublishedPost> {
    const api = this.client(this.options.endpoints.facebook.graph, request);
    const reply = await api.post(`/${GRAPH_VERSION}/${encodeURIComponent(postId)}/comments`, { message: request.content.text });
    return commentPublished(answered(reply, 'id', 'a comment id'));
  }

  /** The Page's comment on the post with this text, if it is there (`GET /{page-post-id}/comments`). */
  private async commentOn(api: NetworkClient, request: LookupRequest, postId: string): Promise<PublishedPost | null> {
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/${GRAPH_VERSION}/${encodeURIComponent(postId)}/comments`, { fields: 'id,message,created_time', limit: '100', after: cursor });
      return {
        posts: list(reply.body, 'data').map((comment) => ({ id: field(comment, 'id') ?? '', text: field(comment, 'message'), createdAt: undefined })),
        next: field(reply.body, 'paging', 'next') ? field(reply.body, 'paging', 'cursors', 'after') : undefined,
      };
    });
    return found ? commentPublished(found.id) : null;
  }

  /** A photo of a several-photo post: the one an earlier try uploaded, else a new unpublished one, kept at once. */
  private async unpublishedPhoto(api: NetworkClient, page: string, request: PublishRequest, item: PublishableMedia): Promise<string> {
    const kept = request.uploads.get(item.key);
    if (kept !== undefined) return kept;
    const reply = await api.post(`${page}/photos`, { ...photoFields(item), published: 'false' });
    const id = field(reply.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Facebook answered a photo upload without an id');
    await request.uploads.keep(item.key, id);
    return id;
  }
}

/** A photo by the link Facebook fetches it from, with its alt text where it has one. */
export function photoFields(item: PublishableMedia): Record<string, string> {
  return { url: item.publicUrl, ...(item.alt ? { alt_text_custom: item.alt } : {}) };
}

/** The id a publishing call answered; without it the post may exist all the same, so the failure is ambiguous. */
function answered(reply: HttpReply, name: string, what: string): string {
  const id = field(reply.body, name);
  if (!id) throw new NetworkError('transient', 'bad_answer', `Facebook answered without ${what}`, { ambiguous: true });
  return id;
}

/** A post by its feed id, `<page>_<post>`, as lookups read it in the Page's feed. */
export function toPublished(id: string): PublishedPost {
  const [page, post] = id.split('_');
  return { externalId: id, externalUrl: `https://www.facebook.com/${page}/posts/${post ?? id}` };
}

/**
 * A video post by its video id: `/videos` answers no feed id (the post
 * appears in the feed as `<page>_<n>` once the video is processed).
 */
function videoPublished(videoId: string): PublishedPost {
  return { externalId: videoId, externalUrl: `https://www.facebook.com/watch/?v=${encodeURIComponent(videoId)}` };
}

/** A comment's page: Facebook shows a Page post's comment at its own id. */
function commentPublished(id: string): PublishedPost {
  return { externalId: id, externalUrl: `https://www.facebook.com/${id}` };
}
