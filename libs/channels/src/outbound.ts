/**
 * The one way Herald calls an address a user gave (a webhook, a link card's
 * page, a media URL, a Mastodon instance, a Bluesky service or DID
 * document): the URL's text under the URL policy, then the address each name
 * resolves to checked at connect time (undici's `connect.lookup`, so the
 * address checked is the address connected to: no second lookup for a
 * rebinding name to change), every redirect followed by hand and checked
 * again, at most a few of them, a deadline for the whole exchange and a cap
 * on the bytes read. The resolver is the system's, or the DNS servers
 * HERALD_DNS_SERVERS names (tests point it at a resolver they control).
 */
import { LookupAddress, Resolver, lookup as systemLookup } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, Dispatcher, fetch as undiciFetch, request } from 'undici';
import { NetworkError } from './errors';
import { UrlPolicy } from './url-policy';

/** Every address a name resolves to. */
export type ResolveName = (hostname: string) => Promise<LookupAddress[]>;

/** A URL, or an address its name resolved to, that the policy refuses. */
export class OutboundRefused extends Error {
  readonly code = 'EHERALDREFUSED';
  constructor(
    /** The URL refused (after `hop` redirects). */
    readonly url: string,
    /** What is wrong with it, to follow "The URL ...": "resolves to a private or loopback address". */
    readonly reason: string,
    readonly hop = 0,
  ) {
    super(`${url} ${reason}`);
    this.name = 'OutboundRefused';
  }
}

/** The exchange failed: no answer in time, too many redirects, too big an answer, the connection refused or lost. */
export class OutboundFailed extends Error {
  constructor(
    readonly code: 'timeout' | 'too_many_redirects' | 'too_large' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundFailed';
  }
}

export interface OutboundRequest {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  /** Sent on the first request only; a request with a body follows no redirect. */
  body?: string | Buffer;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Redirects followed (GET and HEAD only); 0 hands a 3xx back as the answer. */
  maxRedirects?: number;
}

export interface OutboundAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The URL that answered, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class Outbound {
  /** Connections whose every resolved address the policy checked. */
  readonly dispatcher: Dispatcher;

  constructor(
    readonly policy: UrlPolicy,
    resolve: ResolveName = systemResolver(),
  ) {
    this.dispatcher = new Agent({
      keepAliveTimeout: 10_000,
      connect: {
        lookup: (hostname, options, callback) => {
          const all = (options as { all?: boolean }).all === true;
          resolve(hostname).then(
            (addresses) => {
              const usable = addresses.filter((entry) => !options.family || options.family === entry.family || (options.family as unknown) === `IPv${entry.family}`);
              const list = usable.length > 0 ? usable : addresses;
              const refused = list.map((entry) => policy.addressRefusal(hostname, entry.address)).find(Boolean);
              if (refused) return callback(new OutboundRefused(hostname, refused), '', 0);
              if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
              if (all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, list);
              return callback(null, list[0]!.address, list[0]!.family);
            },
            (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
          );
        },
      },
    });
    this.resolve = resolve;
  }

  private readonly resolve: ResolveName;

  /** Why the URL is refused before any call: its text, or (resolving its name now) an address it resolves to. */
  async refusal(url: string): Promise<string | undefined> {
    const textual = this.policy.refusal(url);
    if (textual) return textual;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return undefined;
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolve(host);
    } catch {
      return undefined; // a name that does not resolve reaches nothing; checked again at each call
    }
    return addresses.map((entry) => this.policy.addressRefusal(host, entry.address)).find(Boolean);
  }

  /**
   * Sends the request and answers the response whose body the caller reads
   * (and must read or dump): redirects followed and checked. Throws
   * `OutboundRefused` or `OutboundFailed`.
   */
  async open(url: string, options: OutboundRequest): Promise<OutboundAnswer & { body: Dispatcher.ResponseData['body'] }> {
    const method = options.method ?? 'GET';
    const maxRedirects = options.body !== undefined || method === 'POST' ? 0 : (options.maxRedirects ?? 0);
    const signal = AbortSignal.timeout(options.timeoutMs);
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const refusal = this.policy.refusal(current);
      if (refusal) throw new OutboundRefused(current, refusal, hop);
      let answer: Dispatcher.ResponseData;
      try {
        answer = await request(current, { dispatcher: this.dispatcher, method, headers: options.headers, body: hop === 0 ? options.body : undefined, signal });
      } catch (error) {
        throw failure(error, current, hop, options.timeoutMs);
      }
      const location = answer.headers.location;
      if (maxRedirects > 0 && REDIRECTS.has(answer.statusCode) && typeof location === 'string') {
        await answer.body.dump().catch(() => undefined);
        if (hop >= maxRedirects) throw new OutboundFailed('too_many_redirects', `${url} redirects more than ${maxRedirects} times`);
        try {
          current = new URL(location, current).toString();
        } catch {
          throw new OutboundFailed('unreachable', `${current} redirects to something that is not a URL`);
        }
        continue;
      }
      return { status: answer.statusCode, headers: answer.headers, url: current, body: answer.body };
    }
  }

  /** `open`, the body read whole up to `maxBytes` (more is `too_large`, or cut there with `truncate`). */
  async fetch(url: string, options: OutboundRequest & { maxBytes: number; truncate?: boolean }): Promise<OutboundAnswer & { body: Buffer }> {
    const answer = await this.open(url, options);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of answer.body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= options.maxBytes) {
          answer.body.destroy();
          if (options.truncate) break;
          throw new OutboundFailed('too_large', `${answer.url} answered more than ${options.maxBytes} bytes`);
        }
      }
    } catch (error) {
      if (error instanceof OutboundFailed) throw error;
      throw failure(error, answer.url, 0, options.timeoutMs);
    }
    return { ...answer, body: Buffer.concat(chunks).subarray(0, options.maxBytes) };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** The system's resolver (getaddrinfo, as every other program on the host), or the DNS servers given (`host:port`). */
export function systemResolver(servers: string[] = []): ResolveName {
  if (servers.length === 0) {
    return (hostname) =>
      new Promise((resolve, reject) => systemLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
  }
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers(servers);
  const ask = (hostname: string, family: 4 | 6) =>
    new Promise<LookupAddress[]>((resolve) => {
      const done = (error: Error | null, addresses: string[]) => resolve(error ? [] : addresses.map((address) => ({ address, family })));
      if (family === 4) resolver.resolve4(hostname, done);
      else resolver.resolve6(hostname, done);
    });
  return async (hostname) => {
    if (isIP(hostname)) return [{ address: hostname, family: isIP(hostname) }];
    const found = [...(await ask(hostname, 4)), ...(await ask(hostname, 6))];
    if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    return found;
  };
}

/** What a failed request becomes: a refusal stays one (its URL the one asked for), a deadline a timeout, the rest unreachable. */
function failure(error: unknown, url: string, hop: number, timeoutMs: number): Error {
  const refused = refusalOf(error);
  if (refused) return new OutboundRefused(url, refused, hop);
  const name = (error as { name?: string }).name;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_ABORTED') {
    return new OutboundFailed('timeout', `${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }
  return new OutboundFailed('unreachable', `${url} could not be reached (${code ?? (error as Error).message})`);
}

/** The URL policy's reason, when a request died because an address was refused (the refusal may be wrapped in a library's errors). */
export function refusalOf(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 5; cause = (cause as { cause?: unknown }).cause, depth += 1) {
    if ((cause as { code?: unknown }).code === 'EHERALDREFUSED') return (cause as { reason?: string }).reason ?? 'is refused';
  }
  return undefined;
}

/** Failures whose words are Herald's own, though an answer caused them. */
const OWN_WORDS = new Set(['invalid_app_password', 'handle_not_found', 'two_factor_required']);

/** The most of a network's answer read from a host a user gave (a timeline page, a record): more fails the call. */
const NETWORK_ANSWER_MAX_BYTES = 8 * 1024 * 1024;

/**
 * How the adapters' calls are routed: to this installation's own network
 * endpoints (the real APIs, or the mock, as configured by the operator) as
 * they are; to any other host (a Mastodon instance, a Bluesky PDS or DID
 * document a user named) only through `Outbound`'s checked connections, the
 * answer capped.
 */
export class NetworkGuard {
  private readonly trusted: Set<string>;

  constructor(
    private readonly outbound: Outbound,
    trustedOrigins: string[],
  ) {
    this.trusted = new Set(trustedOrigins.flatMap((url) => originOf(url) ?? []));
  }

  /** undefined for an installation's own endpoint; else the checked connections (throws when the URL's text is refused). */
  route(url: string): { dispatcher: Dispatcher; maxBytes: number } | undefined {
    const origin = originOf(url);
    if (origin !== undefined && this.trusted.has(origin)) return undefined;
    const refusal = this.outbound.policy.refusal(url);
    if (refusal) throw new NetworkError('rejected', 'address_refused', `${origin ?? url} ${refusal}: Herald does not call it (HERALD_URL_ALLOWLIST)`, { ambiguous: false });
    return { dispatcher: this.outbound.dispatcher, maxBytes: NETWORK_ANSWER_MAX_BYTES };
  }

  /** Whether the URL is a host a user gave (not one of this installation's network endpoints). */
  userGiven(url: string): boolean {
    const origin = originOf(url);
    return origin === undefined || !this.trusted.has(origin);
  }

  /**
   * `work`'s failure in Herald's words when `url` is a host a user gave: an
   * answer's status and text are not shown back (they may be an internal
   * service's, allowed by HERALD_URL_ALLOWLIST, or a port scan's oracle),
   * only that the host did not answer as `what` does, or refused the
   * credentials. Failures Herald words itself (a refused address, no
   * connection, an unknown handle) pass as they are.
   */
  async inOwnWords<T>(url: string, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof NetworkError) || error.httpStatus === undefined || OWN_WORDS.has(error.code) || !this.userGiven(url)) throw error;
      const host = originOf(url) ?? url;
      if (error.errorClass === 'auth_revoked' || error.httpStatus === 401 || error.httpStatus === 403) {
        throw new NetworkError(error.errorClass === 'auth_revoked' ? 'auth_revoked' : 'rejected', 'credentials_refused', `${host} refused the credentials`, { ambiguous: false });
      }
      throw new NetworkError(error.errorClass === 'rejected' ? 'rejected' : 'transient', 'unexpected_answer', `${host} did not answer as ${what} does`, { ambiguous: false });
    }
  }

  /** A `fetch` for libraries that take one (oauth4webapi's token requests), routed the same way. */
  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const route = this.route(url);
    const options = { ...(init as Record<string, unknown>), ...(route ? { dispatcher: route.dispatcher } : {}) };
    return (await undiciFetch(url, options as Parameters<typeof undiciFetch>[1])) as unknown as Response;
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
