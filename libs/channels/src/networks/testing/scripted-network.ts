/**
 * For adapter specs: a network that answers each call as the spec scripts
 * it and keeps every call, in place of the HTTP client; a delivery's media,
 * its kept uploads and its kept reference, as the publisher would hand
 * them over. No sockets, no clock.
 */
import { NetworkUploads, PublishRequest } from '../../adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { HttpReply, isSuccess } from '../../http/http';
import { NetworkClient } from '../../http/network-client';

export interface SeenCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path (or the absolute URL an upload was sent to), without its query. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  raw?: { bytes: Uint8Array; contentType: string };
  headers?: Record<string, string>;
}

export interface ScriptedAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class ScriptedNetwork {
  readonly calls: SeenCall[] = [];

  constructor(private readonly answer: (call: SeenCall, seen: SeenCall[]) => ScriptedAnswer) {}

  /** A stand-in for the adapter's NetworkClient: an answer outside 2xx is thrown through the adapter's `toError`. */
  client(toError: (reply: HttpReply) => NetworkError): NetworkClient {
    const send = async (call: SeenCall): Promise<HttpReply> => {
      this.calls.push(call);
      const scripted = this.answer(call, this.calls);
      const headers = Object.fromEntries(Object.entries(scripted.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
      const reply: HttpReply = { status: scripted.status ?? 200, body: scripted.body, headers: { get: (name) => headers[name.toLowerCase()] ?? null } };
      if (!isSuccess(reply)) throw toError(reply);
      return reply;
    };
    const defined = (query: Record<string, string | undefined> | undefined) =>
      Object.fromEntries(Object.entries(query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const fake = {
      get: (path: string, query?: Record<string, string | undefined>, headers?: Record<string, string>) => send({ method: 'GET', path, query: defined(query), headers }),
      post: (path: string, body: unknown, options: { query?: Record<string, string | undefined>; headers?: Record<string, string> } = {}) =>
        send({ method: 'POST', path, query: defined(options.query), body, headers: options.headers }),
      put: (path: string, raw: { bytes: Uint8Array; contentType: string }, headers?: Record<string, string>) => send({ method: 'PUT', path, query: {}, raw, headers }),
      delete: (path: string, query?: Record<string, string | undefined>, headers?: Record<string, string>) => send({ method: 'DELETE', path, query: defined(query), headers }),
    };
    return fake as unknown as NetworkClient;
  }

  /** The calls to `method` on paths that end with `suffix`. */
  to(method: SeenCall['method'], suffix: string): SeenCall[] {
    return this.calls.filter((call) => call.method === method && call.path.endsWith(suffix));
  }
}

/** A file of `size` bytes (each byte its offset mod 256), reachable at a signed link. */
export function mediaFile(key: string, type: 'image' | 'video', overrides: Partial<PublishableMedia> = {}): PublishableMedia {
  const size = overrides.size ?? 10;
  const bytes = Buffer.from(Array.from({ length: size }, (_, index) => index % 256));
  const extension = type === 'video' ? 'mp4' : 'jpg';
  return {
    key,
    type,
    mimeType: type === 'video' ? 'video/mp4' : 'image/jpeg',
    size,
    width: 320,
    height: 240,
    alt: '',
    filename: `${key}.${extension}`,
    read: async () => bytes,
    readRange: async (start, end) => bytes.subarray(start, end),
    publicUrl: `https://herald.test/public/media/${key}/${key}.${extension}?expires=1&signature=ab`,
    ...overrides,
  };
}

/** What the publisher would keep for this delivery: uploads by media key, the reference, and the order they were kept in. */
export class KeptState implements NetworkUploads {
  readonly kept = new Map<string, { networkId: string; expiresAt?: Date }>();
  /** `upload <key>=<id>` and `ref <id>`, in the order they were kept. */
  readonly log: string[] = [];
  ref: string | undefined;

  constructor(initial: Record<string, string> = {}, ref?: string) {
    for (const [key, networkId] of Object.entries(initial)) this.kept.set(key, { networkId });
    this.ref = ref;
  }

  get(key: string): string | undefined {
    return this.kept.get(key)?.networkId;
  }

  async keep(key: string, networkId: string, expiresAt?: Date): Promise<void> {
    this.kept.set(key, { networkId, ...(expiresAt ? { expiresAt } : {}) });
    this.log.push(`upload ${key}=${networkId}`);
  }

  /** A publish request of `text` and `media` for a channel of `accountId`. */
  request(text: string, media: PublishableMedia[], accountId = '42'): PublishRequest {
    return {
      credentials: { handle: 'herald', accessToken: 'token', accountId },
      content: { text, media },
      uploads: this,
      idempotencyKey: 'delivery-1',
      ...(this.ref !== undefined ? { ref: this.ref } : {}),
      keepRef: async (ref) => {
        this.ref = ref;
        this.log.push(`ref ${ref}`);
      },
    };
  }
}
