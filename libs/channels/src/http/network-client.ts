/** One publish's (or lookup's, or connect's) calls to one network host: its token, its deadline, the network's reading of errors. */
import { CallContext } from '../adapter';
import { NetworkError } from '../errors';
import { NetworkGuard } from '../outbound';
import { HttpCall, HttpReply, call, isSuccess, rateLimitOf } from './http';

type Query = Record<string, string | undefined>;

/** An upload's limit when no claim bounds it (a call outside publishing): a large file takes longer than one call's timeout. */
const UPLOAD_TIMEOUT_MS = 300_000;
type Body = Pick<HttpCall, 'body' | 'form' | 'raw' | 'multipart'>;

export class NetworkClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly context: Partial<CallContext>,
    private readonly toError: (reply: HttpReply) => NetworkError,
    /** Where the host may be one a user gave (a Mastodon instance, a Bluesky PDS): the URL policy's routing. */
    private readonly guard?: NetworkGuard,
  ) {}

  get(path: string, query?: Query, headers?: Record<string, string>): Promise<HttpReply> {
    return this.send({ method: 'GET', path, query, headers });
  }

  /** A JSON body, unless `as` says it is a form, raw bytes or multipart. */
  post(path: string, body: unknown, options: { query?: Query; headers?: Record<string, string>; as?: 'json' | 'form' | 'raw' | 'multipart' } = {}): Promise<HttpReply> {
    const payload: Body =
      options.as === 'form'
        ? { form: body as Record<string, string> }
        : options.as === 'raw'
          ? { raw: body as NonNullable<HttpCall['raw']> }
          : options.as === 'multipart'
            ? { multipart: body as NonNullable<HttpCall['multipart']> }
            : body === undefined
              ? {}
              : { body };
    return this.send({ method: 'POST', path, ...payload, query: options.query, headers: options.headers });
  }

  /**
   * A file sent as one multipart POST, read as it goes, to an upload URL a
   * network handed out that takes the file whole with the fields it gave
   * (Pinterest's, a storage bucket's signed form): no token (the fields are
   * the authorization), given until the claim's lease ends rather than one
   * call's timeout, since a large video takes longer than a call does. Any
   * answer is returned, not judged: the storage's errors are not the
   * network's API's.
   */
  upload(url: string, body: NonNullable<HttpCall['streamedMultipart']>): Promise<HttpReply> {
    return call({ method: 'POST', url, streamedMultipart: body, timeoutMs: this.timeout(true), ...this.guard?.route(url) });
  }

  delete(path: string, query?: Query, headers?: Record<string, string>): Promise<HttpReply> {
    return this.send({ method: 'DELETE', path, query, headers });
  }

  /** `accept`: statuses beyond 2xx answered rather than thrown (YouTube's 308 Resume Incomplete). */
  put(path: string, raw: NonNullable<HttpCall['raw']>, headers?: Record<string, string>, accept: number[] = []): Promise<HttpReply> {
    return this.send({ method: 'PUT', path, raw, headers }, accept);
  }

  /** Any non-2xx answer becomes a NetworkError through the network's `toError`. */
  private async send(request: Omit<HttpCall, 'url' | 'timeoutMs' | 'token'> & { path: string; query?: Query }, accept: number[] = []): Promise<HttpReply> {
    const token = this.context.credentials?.accessToken || undefined;
    const url = this.url(request.path, request.query);
    const route = this.guard?.route(url);
    const reply = await call({ ...request, url, token: request.headers?.authorization ? undefined : token, timeoutMs: this.timeout(), ...route });
    if (this.context.onRateLimit) {
      const reading = rateLimitOf(reply.headers);
      if (reading) this.context.onRateLimit(reading);
    }
    if (!isSuccess(reply) && !accept.includes(reply.status)) throw this.toError(reply);
    return reply;
  }

  /** A path joins the base; a full URL (an upload URL a network handed out) is taken as it is. */
  private url(path: string, query: Query | undefined): string {
    const defined = Object.entries(query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const base = /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
    return `${base}${defined.length > 0 ? `${base.includes('?') ? '&' : '?'}${new URLSearchParams(defined).toString()}` : ''}`;
  }

  /** The call's timeout: the network timeout, or less when the claim's lease ends sooner (then the call is not sent at all). */
  private timeout(untilDeadline = false): number {
    const { deadline } = this.context;
    if (deadline === undefined) return untilDeadline ? Math.max(this.timeoutMs, UPLOAD_TIMEOUT_MS) : this.timeoutMs;
    const left = deadline - Date.now();
    if (left < 50) {
      throw new NetworkError('transient', 'lease_ending', 'The claim on this delivery ends before a call could finish; the call was not sent', { ambiguous: false });
    }
    return untilDeadline ? left : Math.min(this.timeoutMs, left);
  }
}
