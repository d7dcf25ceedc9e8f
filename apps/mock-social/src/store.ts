/**
 * Everything the mock networks remember, in memory: accepted posts
 * (appended, indexed per account and by id), media in flight (uploads,
 * containers, Bluesky blobs: their facts, never their bytes once judged),
 * each network on a shelf of its own, and Mastodon's idempotency keys.
 */
import { Account, accountKey } from './accounts';
import { MediaFacts } from './media/inspect';

/** A post's media as the network judged its bytes, with its alt text ('' or absent when none). */
export type MockMedia = MediaFacts & { alt?: string };

/** A post a mock network accepted, as `GET /_mock/posts` shows it. */
export interface MockPost {
  id: string;
  network: string;
  instanceUrl?: string;
  handle: string;
  text: string;
  media: MockMedia[];
  idempotencyKey: string | null;
  receivedAt: string;
  /** When the post says it was made: the receive time, or (Bluesky) the record's own `createdAt`. */
  createdAt: string;
  /** Bluesky: the record's facets and embed as received. */
  facets?: unknown[];
  embed?: unknown;
  /** Mastodon: the status's visibility and language. */
  visibility?: string;
  language?: string;
  /** LinkedIn: the `commentary` as sent, in little text (`text` is what a reader sees). */
  commentary?: string;
  /** Its place in its account's timeline, oldest first (not shown by `/_mock/posts`). */
  position?: number;
  /** What the network keeps for its reads (Bluesky's record, LinkedIn's content; not shown). */
  record?: unknown;
}

/** One page of an account's timeline, newest first, as the networks page them. */
export interface TimelineQuery {
  beforePosition?: number;
  sinceMs?: number;
  untilMs?: number;
  limit: number;
}

/** Things in flight a network keeps per account (uploads, containers), by id; another account's are not found. */
export class Shelf<T> {
  private items = new Map<string, T>();

  put(account: Account, id: string, item: T): T {
    this.items.set(`${accountKey(account)}|${id}`, item);
    return item;
  }

  /** The item, when this account has one by this id. */
  of(account: Account, id: string): T | undefined {
    return this.items.get(`${accountKey(account)}|${id}`);
  }
}

export interface AcceptOptions {
  idempotencyKey?: string | null;
  /** Shapes the network's own id (a URN, an at:// URI...) from a fresh number. */
  idFor?: (n: string) => string;
  createdAt?: string;
  visibility?: string;
  language?: string;
  commentary?: string;
  facets?: unknown[];
  embed?: unknown;
  /** What the network keeps of the post for its reads, not shown (Bluesky's record, LinkedIn's content). */
  record?: unknown;
}

export class MockStore {
  private posts: MockPost[] = [];
  private byAccount = new Map<string, MockPost[]>();
  private byId = new Map<string, MockPost>();
  private idempotent = new Map<string, { post: MockPost; at: number }>();
  private shelves = new Map<string, Shelf<unknown>>();
  private sequence = 1_000_000;

  nextId(): string {
    this.sequence += 1;
    return `${Date.now()}${this.sequence}`;
  }

  accept(account: Account, text: string, media: MockMedia[], options: AcceptOptions = {}): MockPost {
    const receivedAt = new Date().toISOString();
    const post: MockPost = {
      id: (options.idFor ?? ((n: string) => n))(this.nextId()),
      network: account.network,
      ...(account.instanceUrl ? { instanceUrl: account.instanceUrl } : {}),
      handle: account.handle,
      text,
      media,
      idempotencyKey: options.idempotencyKey ?? null,
      receivedAt,
      createdAt: options.createdAt ?? receivedAt,
      ...(options.facets ? { facets: options.facets } : {}),
      ...(options.embed !== undefined ? { embed: options.embed } : {}),
      ...(options.commentary !== undefined ? { commentary: options.commentary } : {}),
      ...(options.visibility !== undefined ? { visibility: options.visibility } : {}),
      ...(options.language !== undefined ? { language: options.language } : {}),
    };
    const key = accountKey(account);
    const list = this.byAccount.get(key) ?? [];
    this.byAccount.set(key, list);
    Object.defineProperty(post, 'position', { value: list.length, enumerable: false });
    if (options.record !== undefined) Object.defineProperty(post, 'record', { value: options.record, enumerable: false });
    this.posts.push(post);
    list.push(post);
    this.byId.set(post.id, post);
    return post;
  }

  find(id: string): MockPost | undefined {
    return this.byId.get(id);
  }

  /** A page of the account's posts, newest first, and the position to continue before when older posts remain. */
  timeline(account: Account, query: TimelineQuery): { posts: MockPost[]; nextBefore?: number } {
    const all = this.postsOf(account);
    const posts: MockPost[] = [];
    let index = Math.min(query.beforePosition ?? all.length, all.length) - 1;
    for (; index >= 0 && posts.length < query.limit; index -= 1) {
      const post = all[index]!;
      const at = Date.parse(post.receivedAt);
      if (query.untilMs !== undefined && at > query.untilMs) continue;
      if (query.sinceMs !== undefined && at < query.sinceMs) {
        index = -1;
        break;
      }
      posts.push(post);
    }
    const more = index >= 0 && (query.sinceMs === undefined || Date.parse(all[index]!.receivedAt) >= query.sinceMs);
    return { posts, ...(more ? { nextBefore: index + 1 } : {}) };
  }

  /** A post made with this idempotency key by this account within the last hour (Mastodon's rule). */
  idempotentPost(account: Account, key: string): MockPost | undefined {
    const entry = this.idempotent.get(`${accountKey(account)}|${key}`);
    return entry && Date.now() - entry.at < 3_600_000 ? entry.post : undefined;
  }

  rememberIdempotent(account: Account, key: string, post: MockPost): void {
    this.idempotent.set(`${accountKey(account)}|${key}`, { post, at: Date.now() });
  }

  /** A network's shelf of things in flight, by name (one per kind: "x-media", "graph-containers"...). */
  shelf<T>(name: string): Shelf<T> {
    let shelf = this.shelves.get(name);
    if (!shelf) this.shelves.set(name, (shelf = new Shelf<unknown>()));
    return shelf as Shelf<T>;
  }

  postsOf(account: Account): MockPost[] {
    return this.byAccount.get(accountKey(account)) ?? [];
  }

  list(filter: { network?: string; handle?: string; instanceUrl?: string }): MockPost[] {
    if (filter.network && filter.handle && (filter.network !== 'mastodon' || filter.instanceUrl)) {
      return this.postsOf({ network: filter.network, handle: filter.handle, ...(filter.instanceUrl ? { instanceUrl: filter.instanceUrl } : {}) });
    }
    return this.posts.filter(
      (post) =>
        (!filter.network || post.network === filter.network) &&
        (!filter.handle || post.handle === filter.handle) &&
        (!filter.instanceUrl || post.instanceUrl === filter.instanceUrl),
    );
  }

  clearPosts(): void {
    this.posts = [];
    this.byAccount.clear();
    this.byId.clear();
    this.idempotent.clear();
  }
}
