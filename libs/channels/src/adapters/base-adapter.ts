/** What every adapter shares: its rules, content validation, the token endpoint, calling its base URL, and timeline lookups. */
import { CallContext, ChannelAdapter, LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { ContentViolation, NetworkRules, PostContent } from '../content';
import { NetworkError } from '../errors';
import { Network } from '../network';
import { NETWORK_RULES } from '../rules/network-rules';
import { validateContent } from '../rules/validate-content';
import { HttpCall, HttpReply, call, field, isSuccess } from './http';

export interface AdapterOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Pages a timeline lookup reads at most before it answers "cannot tell". */
  lookupMaxPages: number;
}

export const DEFAULT_LOOKUP_MAX_PAGES = 20;

type Query = Record<string, string | undefined>;

/** One publish's (or lookup's) calls to the network: its token, its deadline, the network's reading of errors. */
export class NetworkClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly context: CallContext,
    private readonly toError: (reply: HttpReply) => NetworkError,
  ) {}

  get(path: string, query?: Query, headers?: Record<string, string>): Promise<HttpReply> {
    return this.send({ method: 'GET', path, query, headers });
  }

  post(path: string, body: unknown, options: { query?: Query; headers?: Record<string, string> } = {}): Promise<HttpReply> {
    return this.send({ method: 'POST', path, body, ...options });
  }

  /** Any non-2xx answer becomes a NetworkError through the network's `toError`. */
  private async send(request: Omit<HttpCall, 'url' | 'timeoutMs' | 'token'> & { path: string; query?: Query }): Promise<HttpReply> {
    const reply = await call({ ...request, url: this.url(request.path, request.query), token: this.context.credentials.accessToken, timeoutMs: this.timeout() });
    if (!isSuccess(reply)) throw this.toError(reply);
    return reply;
  }

  private url(path: string, query: Query | undefined): string {
    const defined = Object.entries(query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
    return `${this.baseUrl}${path}${defined.length > 0 ? `?${new URLSearchParams(defined).toString()}` : ''}`;
  }

  /** The call's timeout: the network timeout, or less when the claim's lease ends sooner (then the call is not sent at all). */
  private timeout(): number {
    const { deadline } = this.context;
    if (deadline === undefined) return this.timeoutMs;
    const left = deadline - Date.now();
    if (left < 50) {
      throw new NetworkError('transient', 'lease_ending', 'The claim on this delivery ends before a call could finish; the call was not sent', { ambiguous: false });
    }
    return Math.min(this.timeoutMs, left);
  }
}

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

  validate(content: PostContent): ContentViolation[] {
    return validateContent(this.network, content);
  }

  async connect(handle: string): Promise<{ accessToken: string }> {
    const reply = await this.client({ credentials: { handle, accessToken: '' } }).post('/oauth/token', { grant_type: 'client_credentials', handle });
    const accessToken = field(reply.body, 'access_token');
    if (!accessToken) throw new NetworkError('rejected', 'no_token', 'The network issued no access token');
    return { accessToken };
  }

  abstract publish(request: PublishRequest): Promise<PublishedPost>;
  abstract lookup(request: LookupRequest): Promise<PublishedPost | null>;

  /** The network's own reading of an error answer. */
  protected abstract toError(reply: HttpReply): NetworkError;

  protected client(context: CallContext): NetworkClient {
    return new NetworkClient(this.options.baseUrl, this.options.timeoutMs, context, (reply) => this.toError(reply));
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

/** Epoch ms of an ISO time or an epoch-ms number; undefined when absent or unreadable. */
export function epochMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
