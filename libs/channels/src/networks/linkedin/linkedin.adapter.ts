/**
 * LinkedIn Posts API: `POST /rest/posts`, the post's URN comes back in
 * `x-restli-id`; its media uploaded first (see linkedin.media), one item as
 * `content.media`, two or more images as `content.multiImage`. Lookups page
 * the author's posts.
 */
import { CallContext, ChannelCredentials, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { PublishableMedia } from '../../content';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { linkedinError } from './linkedin.errors';
import { LinkedInMedia } from './linkedin.media';
import { toLittleText } from './little-text';
import { AccountFigures, MetricsReading, MetricsRequest } from '../../metrics';
import { readLinkedInMetrics } from './linkedin.metrics';

/** The one place the Posts API version is pinned (LinkedIn retires each a year after it ships). */
export const LINKEDIN_VERSION = '202411';

const LINKEDIN_HEADERS = { 'linkedin-version': LINKEDIN_VERSION, 'x-restli-protocol-version': '2.0.0' };
/** The Posts API's page size ceiling (`count`). */
const PAGE_SIZE = 100;

export class LinkedInAdapter extends BaseAdapter {
  readonly network = 'linkedin' as const;

  /**
   * `DELETE /rest/posts/{encoded urn}` (204; the post's comments go with it).
   * LinkedIn's 404 is a post that is not there.
   */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    return this.deleting(() => this.api(request).delete(`/rest/posts/${encodeURIComponent(request.externalId)}`, undefined, LINKEDIN_HEADERS));
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { credentials, content } = request;
    const api = this.api(request);
    if (request.replyTo) return this.comment(api, request, request.replyTo.parent.externalId);
    const media = await this.uploaded(api, request);
    const reply = await api.post(
      '/rest/posts',
      {
        author: authorOf(credentials),
        commentary: toLittleText(content.text),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
        ...(media.length === 1 ? { content: { media: media[0] } } : media.length > 1 ? { content: { multiImage: { images: media } } } : {}),
      },
      { headers: LINKEDIN_HEADERS },
    );
    const urn = reply.headers.get('x-restli-id');
    if (!urn) throw new NetworkError('transient', 'bad_answer', 'LinkedIn answered without x-restli-id', { ambiguous: true });
    return this.toPublished(urn);
  }

  /**
   * The author's posts newest first (`q=author`, `sortBy=CREATED`), `count`
   * at a time from offset `start`. LinkedIn has no time filter, so the pages
   * are read until a post is older than the claim. New posts arriving while
   * it pages push older ones down a page: some are seen twice, none missed.
   */
  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    if (request.replyTo) return this.commentOn(api, request, request.replyTo.parent.externalId);
    const found = await this.findInTimeline(request, async (cursor) => {
      const start = Number(cursor ?? 0);
      const reply = await api.get(
        '/rest/posts',
        { q: 'author', author: authorOf(request.credentials), sortBy: 'CREATED', count: String(PAGE_SIZE), start: String(start) },
        LINKEDIN_HEADERS,
      );
      const elements = list(reply.body, 'elements');
      return {
        posts: elements.map((post) => ({
          id: field(post, 'id') ?? '',
          text: field(post, 'commentary'),
          createdAt: epochMs(field(post, 'createdAt')),
          mediaCount: list(post, 'content', 'multiImage', 'images').length || (field(post, 'content', 'media', 'id') ? 1 : 0),
        })),
        // On until a page comes back empty: a page shorter than asked for does not prove there is no more.
        next: elements.length > 0 ? String(start + elements.length) : undefined,
      };
    },
    // LinkedIn keeps the commentary as sent: escaped.
    (posted, delivered) => posted === toLittleText(delivered) || posted === delivered);
    return found ? this.toPublished(found.id) : null;
  }

  readonly metricsBatchSize = 1;

  /** One post a call (see linkedin.metrics). */
  async readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    const api = this.api(request);
    const readings: MetricsReading[] = [];
    for (const urn of request.externalIds) readings.push(await readLinkedInMetrics(api, urn, authorOf(request.credentials), LINKEDIN_HEADERS));
    return readings;
  }

  /**
   * None: Herald posts to LinkedIn as a member, and LinkedIn gives no
   * follower count of a member to an app (a Page's would be
   * `/rest/networkSizes/{organization urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`).
   */
  readAccount(): Promise<AccountFigures | null> {
    return Promise.resolve(null);
  }

  protected toError(reply: HttpReply): NetworkError {
    return linkedinError(reply);
  }

  /** A first comment: `POST /rest/socialActions/{urn}/comments` by the member (the Comments API; plain text, not little text). */
  private async comment(api: NetworkClient, request: PublishRequest, urn: string): Promise<PublishedPost> {
    const actor = authorOf(request.credentials);
    const reply = await api.post(`/rest/socialActions/${encodeURIComponent(urn)}/comments`, { actor, object: urn, message: { text: request.content.text } }, { headers: LINKEDIN_HEADERS });
    const id = field(reply.body, 'commentUrn') ?? (reply.headers.get('x-restli-id') ? `urn:li:comment:(${urn},${reply.headers.get('x-restli-id')})` : undefined);
    if (!id) throw new NetworkError('transient', 'bad_answer', 'LinkedIn answered the comment without its id', { ambiguous: true });
    return commentPublished(urn, id);
  }

  /** The member's comment on the post with this text, if it is there (`GET /rest/socialActions/{urn}/comments`, paged by start). */
  private async commentOn(api: NetworkClient, request: LookupRequest, urn: string): Promise<PublishedPost | null> {
    const actor = authorOf(request.credentials);
    const found = await this.findInTimeline(request, async (cursor) => {
      const start = Number(cursor ?? 0);
      const reply = await api.get(`/rest/socialActions/${encodeURIComponent(urn)}/comments`, { count: String(PAGE_SIZE), start: String(start) }, LINKEDIN_HEADERS);
      const elements = list(reply.body, 'elements');
      return {
        posts: elements.map((comment) => ({
          id: field(comment, 'commentUrn') ?? '',
          text: field(comment, 'actor') === actor ? field(comment, 'message', 'text') : undefined,
          createdAt: undefined,
        })),
        next: elements.length > 0 ? String(start + elements.length) : undefined,
      };
    });
    return found ? commentPublished(urn, found.id) : null;
  }

  /** The post's media as `content` names them, each uploaded (or kept from an earlier try) and AVAILABLE, in order. */
  private async uploaded(api: NetworkClient, request: PublishRequest): Promise<Array<{ id: string; altText?: string }>> {
    const { media } = request.content;
    if (media.length > 1 && media.some((item) => item.type === 'video')) {
      throw new NetworkError('rejected', 'media_unsupported', 'A LinkedIn post takes one video alone, or images only');
    }
    const urns = await new LinkedInMedia(api, request, LINKEDIN_HEADERS, authorOf(request.credentials)).urnsOf(media);
    return media.map((item, index) => mediaEntry(item, urns[index]!));
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.options.endpoints.linkedin.api, context);
  }

  private toPublished(urn: string): PublishedPost {
    return { externalId: urn, externalUrl: `https://www.linkedin.com/feed/update/${urn}/` };
  }
}

/** One item of `content`: its URN, with its alt text where it has one. */
function mediaEntry(item: PublishableMedia, id: string): { id: string; altText?: string } {
  return { id, ...(item.alt ? { altText: item.alt } : {}) };
}

/** The member's URN: from the id connecting found, or (channels connected before ids were kept) the handle. */
function authorOf(credentials: ChannelCredentials): string {
  return `urn:li:person:${credentials.accountId ?? credentials.handle}`;
}

/** A comment is shown on its post's page. */
function commentPublished(urn: string, commentUrn: string): PublishedPost {
  return { externalId: commentUrn, externalUrl: `https://www.linkedin.com/feed/update/${urn}/?commentUrn=${encodeURIComponent(commentUrn)}` };
}
