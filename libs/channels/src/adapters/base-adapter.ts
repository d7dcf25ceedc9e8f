/** What every adapter shares: its rules, content validation, the token endpoint, and calling its base URL. */
import { ChannelAdapter, LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { ContentViolation, NetworkRules, PostContent } from '../content';
import { NetworkError } from '../errors';
import { Network } from '../network';
import { NETWORK_RULES } from '../rules/network-rules';
import { validateContent } from '../rules/validate-content';
import { HttpCall, HttpReply, call, field, isSuccess } from './http';

export interface AdapterOptions {
  baseUrl: string;
  timeoutMs: number;
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
    const reply = await this.send({ method: 'POST', path: '/oauth/token', body: { grant_type: 'client_credentials', handle } });
    const accessToken = field(reply.body, 'access_token');
    if (!accessToken) throw new NetworkError('rejected', 'no_token', 'The network issued no access token');
    return { accessToken };
  }

  abstract publish(request: PublishRequest): Promise<PublishedPost>;
  abstract lookup(request: LookupRequest): Promise<PublishedPost | null>;

  /** The network's own reading of an error answer. */
  protected abstract toError(reply: HttpReply): NetworkError;

  /** Calls the network; any non-2xx answer becomes a NetworkError through `toError`. */
  protected async send(request: Omit<HttpCall, 'url' | 'timeoutMs'> & { path: string; query?: Record<string, string> }): Promise<HttpReply> {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const reply = await call({ ...request, url: `${this.options.baseUrl}${request.path}${query}`, timeoutMs: this.options.timeoutMs });
    if (!isSuccess(reply)) throw this.toError(reply);
    return reply;
  }
}

/** Newest-first posts of an account, matched by exact text and time. */
export function findByText<T>(
  posts: T[],
  text: string,
  since: Date,
  read: (post: T) => { text: string | undefined; createdAt: string | number | undefined },
): T | undefined {
  return posts.find((post) => {
    const { text: postText, createdAt } = read(post);
    const created = typeof createdAt === 'number' ? createdAt : createdAt ? Date.parse(createdAt) : NaN;
    return postText === text && (Number.isNaN(created) || created >= since.getTime());
  });
}
