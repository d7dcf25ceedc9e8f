/**
 * Everything the mock networks remember, in memory: accepted posts,
 * replies and comments (appended, indexed per account and by id; an
 * account's timeline holds its posts and replies, a post's comments are
 * kept by the post), media in flight (uploads,
 * containers, Bluesky blobs: their facts, never their bytes once judged),
 * each network on a shelf of its own, and Mastodon's idempotency keys.
 */
import { Account, accountKey } from './accounts';
import { MediaFacts } from './media/inspect';

/** A post's media as the network judged its bytes, with its alt text ('' or absent when none). */
export type MockMedia = MediaFacts & { alt?: string };

/** A post, a reply in a thread (X, Bluesky, Mastodon, Threads) or a comment on a post (LinkedIn, Facebook, Instagram). */
export type PostKind = 'post' | 'reply' | 'comment';

/** A post a mock network accepted, as `GET /_mock/posts` shows it. */
export interface MockPost {
  id: string;
  network: string;
  kind: PostKind;
  /** The network's id of the post replied to or commented on; null for a post. */
  replyTo: string | null;
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
  /** YouTube: the bytes its resumable upload received in all, chunks sent again included (a resumed upload: the file's size). */
  bytesReceived?: number;
  /** TikTok: the labels the network shows on the post for what it disclosed ("Promotional content", "Paid partnership"). */
  labels?: string[];
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
  /** Only these (say, posts without replies); the positions stay the timeline's. */
  only?: (post: MockPost) => boolean;
  /** Only posts after this position (newer), and with `closest` the ones right after it (Mastodon's `min_id`) rather than the newest. */
  afterPosition?: number;
  closest?: boolean;
}

/** What an account has: everything in order (for /_mock/posts), its timeline (posts and replies), its posts alone (quotas). */
interface AccountShelf {
  all: MockPost[];
  timeline: MockPost[];
  posts: MockPost[];
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
  /** A reply or a comment, and the network's id of its parent (a post when absent). */
  replyTo?: { kind: 'reply' | 'comment'; id: string };
  idempotencyKey?: string | null;
  /** Shapes the network's own id (a URN, an at:// URI...) from a fresh number. */
  idFor?: (n: string) => string;
  createdAt?: string;
  visibility?: string;
  language?: string;
  commentary?: string;
  bytesReceived?: number;
  labels?: string[];
  facets?: unknown[];
  embed?: unknown;
  /** What the network keeps of the post for its reads, not shown (Bluesky's record, LinkedIn's content). */
  record?: unknown;
}

export class MockStore {
  private posts: MockPost[] = [];
  private byAccount = new Map<string, AccountShelf>();
  private byId = new Map<string, MockPost>();
  private commentsOn = new Map<string, MockPost[]>();
  /** Posts taken down (a timeline keeps them in place, skipped). */
  private removed = new Set<MockPost>();
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
      kind: options.replyTo?.kind ?? 'post',
      replyTo: options.replyTo?.id ?? null,
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
      ...(options.bytesReceived !== undefined ? { bytesReceived: options.bytesReceived } : {}),
      ...(options.visibility !== undefined ? { visibility: options.visibility } : {}),
      ...(options.labels !== undefined && options.labels.length > 0 ? { labels: options.labels } : {}),
      ...(options.language !== undefined ? { language: options.language } : {}),
    };
    const shelf = this.shelfOf(account);
    if (options.record !== undefined) Object.defineProperty(post, 'record', { value: options.record, enumerable: false });
    this.posts.push(post);
    shelf.all.push(post);
    if (post.kind === 'comment') {
      const comments = this.commentsOn.get(post.replyTo!) ?? [];
      this.commentsOn.set(post.replyTo!, comments);
      comments.push(post);
    } else {
      Object.defineProperty(post, 'position', { value: shelf.timeline.length, enumerable: false });
      shelf.timeline.push(post);
      if (post.kind === 'post') shelf.posts.push(post);
    }
    this.byId.set(post.id, post);
    return post;
  }

  /** The comments on a post, oldest first. */
  commentsOf(id: string): MockPost[] {
    return this.commentsOn.get(id) ?? [];
  }

  /** The first post of the thread a post or reply is in (itself for a post; a parent the mock does not know ends the walk). */
  threadRootOf(post: MockPost): MockPost {
    let root = post;
    while (root.kind === 'reply' && root.replyTo) {
      const parent = this.byId.get(root.replyTo);
      if (!parent) break;
      root = parent;
    }
    return root;
  }

  find(id: string): MockPost | undefined {
    return this.byId.get(id);
  }

  /**
   * Takes a post down, as a network's delete does: it is no longer found,
   * listed or in a timeline (a timeline keeps its place, so cursors hold),
   * and its comments go with it; a posting quota still counts it. The
   * post, or undefined when there was none.
   */
  remove(id: string): MockPost | undefined {
    const post = this.byId.get(id);
    if (!post) return undefined;
    for (const gone of [post, ...this.commentsOf(id)]) {
      this.byId.delete(gone.id);
      this.removed.add(gone);
      without(this.posts, gone);
      without(this.byAccount.get(accountKey(gone))?.all ?? [], gone);
    }
    if (post.kind === 'comment') without(this.commentsOn.get(post.replyTo!) ?? [], post);
    this.commentsOn.delete(id);
    return post;
  }

  /** A page of the account's posts, newest first, and the position to continue before when older posts remain. */
  timeline(account: Account, query: TimelineQuery): { posts: MockPost[]; nextBefore?: number } {
    const all = this.byAccount.get(accountKey(account))?.timeline ?? [];
    const posts: MockPost[] = [];
    const shown = (post: MockPost) => !this.removed.has(post) && (!query.only || query.only(post));
    if (query.closest && query.afterPosition !== undefined) {
      for (let index = query.afterPosition + 1; index < all.length && posts.length < query.limit; index += 1) if (shown(all[index]!)) posts.push(all[index]!);
      return { posts: posts.reverse() };
    }
    let index = Math.min(query.beforePosition ?? all.length, all.length) - 1;
    const floor = query.afterPosition ?? -1;
    for (; index > floor && posts.length < query.limit; index -= 1) {
      const post = all[index]!;
      const at = Date.parse(post.receivedAt);
      if (query.untilMs !== undefined && at > query.untilMs) continue;
      if (query.sinceMs !== undefined && at < query.sinceMs) {
        index = -1;
        break;
      }
      if (!shown(post)) continue;
      posts.push(post);
    }
    const more = index > floor && (query.sinceMs === undefined || Date.parse(all[index]!.receivedAt) >= query.sinceMs);
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

  /** The account's timeline, oldest first: its posts and replies (not its comments). */
  postsOf(account: Account): MockPost[] {
    const timeline = this.byAccount.get(accountKey(account))?.timeline ?? [];
    return this.removed.size === 0 ? timeline : timeline.filter((post) => !this.removed.has(post));
  }

  /** The account's posts alone, oldest first: no replies, no comments (what posting quotas count). */
  topLevelOf(account: Account): MockPost[] {
    return this.byAccount.get(accountKey(account))?.posts ?? [];
  }

  list(filter: { network?: string; handle?: string; instanceUrl?: string }): MockPost[] {
    if (filter.network && filter.handle && (filter.network !== 'mastodon' || filter.instanceUrl)) {
      return this.byAccount.get(accountKey({ network: filter.network, handle: filter.handle, ...(filter.instanceUrl ? { instanceUrl: filter.instanceUrl } : {}) }))?.all ?? [];
    }
    return this.posts.filter(
      (post) =>
        (!filter.network || post.network === filter.network) &&
        (!filter.handle || post.handle === filter.handle) &&
        (!filter.instanceUrl || post.instanceUrl === filter.instanceUrl),
    );
  }

  private shelfOf(account: Account): AccountShelf {
    const key = accountKey(account);
    let shelf = this.byAccount.get(key);
    if (!shelf) this.byAccount.set(key, (shelf = { all: [], timeline: [], posts: [] }));
    return shelf;
  }

  clearPosts(): void {
    this.posts = [];
    this.byAccount.clear();
    this.byId.clear();
    this.commentsOn.clear();
    this.removed.clear();
    this.idempotent.clear();
  }
}

/** Takes one item out of a list, in place. */
function without<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}
