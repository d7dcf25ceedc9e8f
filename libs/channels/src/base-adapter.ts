/** What every adapter shares: its rules, content validation, calling its network, and timeline lookups. */
import { CallContext, ChannelAdapter, DeleteOutcome, LookupRequest, PublishRequest, PublishedPost } from './adapter';
import { ContentViolation, NetworkRules, PostContent } from './content';
import { NetworkEndpoints } from './endpoints';
import { NetworkError } from './errors';
import { HttpReply } from './http/http';
import { NetworkClient } from './http/network-client';
import { Network } from './network';
import { NetworkGuard } from './outbound';
import { NETWORK_RULES } from './rules/network-rules';
import { channelLimitsOf, validateContent } from './rules/validate-content';

export interface AdapterOptions {
  endpoints: NetworkEndpoints;
  timeoutMs: number;
  /** Pages a timeline lookup reads at most before it answers "cannot tell". */
  lookupMaxPages: number;
  /** The URL policy's routing, for a channel whose host a user gave. */
  guard?: NetworkGuard;
}

export const DEFAULT_LOOKUP_MAX_PAGES = 20;

/** A post on an account's timeline, as a lookup compares it with the delivery's content. */
export interface TimelinePost {
  /** In the form Herald records as the delivery's external id. */
  id: string;
  text: string | undefined;
  /** Epoch ms; undefined where the network did not say. */
  createdAt: number | undefined;
  /** Undefined where the network's listing does not show media. */
  mediaCount?: number;
  url?: string;
}

export interface TimelinePage {
  posts: TimelinePost[];
  /** The cursor of the next (older) page; undefined on the last. */
  next?: string;
}

export abstract class BaseAdapter implements ChannelAdapter {
  abstract readonly network: Network;

  constructor(protected readonly options: AdapterOptions) {}

  get rules(): NetworkRules {
    return NETWORK_RULES[this.network];
  }

  get honoursIdempotencyKey(): boolean {
    return this.rules.honoursIdempotencyKey;
  }

  validate(content: PostContent, details: Record<string, unknown> = {}): ContentViolation[] {
    return validateContent(this.network, content, channelLimitsOf(details));
  }

  abstract publish(request: PublishRequest): Promise<PublishedPost>;
  abstract lookup(request: LookupRequest): Promise<PublishedPost | null>;

  /**
   * A delete call whose "not there" answer is success (`gone`): by default a
   * 404; `isGone` where the network says it otherwise (Meta's unknown object).
   */
  protected async deleting(call: () => Promise<unknown>, isGone: (error: NetworkError) => boolean = (error) => error.httpStatus === 404): Promise<DeleteOutcome> {
    try {
      await call();
      return 'deleted';
    } catch (error) {
      if (error instanceof NetworkError && isGone(error)) return 'gone';
      throw error;
    }
  }

  /** The network's own reading of an error answer. */
  protected abstract toError(reply: HttpReply): NetworkError;

  /** Calls to the network at `baseUrl` (the channel's host, or the network's). */
  protected client(baseUrl: string, context: Partial<CallContext>): NetworkClient {
    return new NetworkClient(baseUrl, this.options.timeoutMs, context, (reply) => this.toError(reply), this.options.guard);
  }

  /**
   * The lookup of networks that let Herald neither name a post before the call
   * nor find it by a key: everything the account posted since `since`, newest
   * first, page by page, until a post is older than that (or the network's
   * own time filter ends the pages). A post matches when its text and its
   * media count are the delivery's and no other delivery of the channel is
   * recorded as it. More than `lookupMaxPages` pages is "cannot tell":
   * `lookup_too_deep`, so the delivery becomes `unconfirmed`, never a blind
   * resend.
   */
  protected async findInTimeline(
    request: LookupRequest,
    readPage: (cursor: string | undefined) => Promise<TimelinePage>,
    sameText: (posted: string, delivered: string) => boolean = (posted, delivered) => posted === delivered,
  ): Promise<TimelinePost | null> {
    const since = request.since.getTime();
    let cursor: string | undefined;
    for (let page = 0; page < this.options.lookupMaxPages; page += 1) {
      const { posts, next } = await readPage(cursor);
      for (const post of posts) {
        if (post.createdAt !== undefined && post.createdAt < since) return null;
        if (
          post.text !== undefined &&
          sameText(post.text, request.content.text) &&
          (post.mediaCount === undefined || post.mediaCount === request.content.media.length) &&
          !request.excludeExternalIds.has(post.id)
        ) {
          return post;
        }
      }
      if (next === undefined || posts.length === 0) return null;
      cursor = next;
    }
    throw new NetworkError(
      'transient',
      'lookup_too_deep',
      `The account posted more since ${request.since.toISOString()} than a lookup reads (${this.options.lookupMaxPages} pages); cannot tell whether this post is among them`,
    );
  }
}

/** What one look at a file a network is processing found: finished (with its value), or ask again after `waitMs`. */
export type Processing<T> = { done: T } | { waitMs: number };

/** Polls never outlast this, whatever the claim's deadline: a file still processing after it is retried later. */
const MAX_PROCESSING_WAIT_MS = 120_000;

/**
 * Asks `look` until the network says a file is processed (a Mastodon video,
 * an X video, a LinkedIn image, a Meta container), waiting as long as each
 * answer asks, within the claim's deadline. Past it: a transient
 * `media_processing` error, not ambiguous (nothing was published); the
 * delivery is retried later and its kept uploads are reused, so the retry
 * resumes the wait instead of uploading again.
 */
export async function pollUntil<T>(context: Pick<CallContext, 'deadline'>, what: string, look: () => Promise<Processing<T>>): Promise<T> {
  const started = Date.now();
  const until = Math.min(started + MAX_PROCESSING_WAIT_MS, (context.deadline ?? Infinity) - 1_000);
  for (;;) {
    const seen = await look();
    if ('done' in seen) return seen.done;
    const wait = Math.max(50, Math.min(seen.waitMs, 10_000));
    if (Date.now() + wait >= until) {
      throw new NetworkError('transient', 'media_processing', `${what} was still processing after ${Math.round((Date.now() - started) / 1000)} s; the post is tried again later`, {
        ambiguous: false,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Epoch ms of an ISO time or an epoch-ms number; undefined when absent or unreadable. */
export function epochMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
