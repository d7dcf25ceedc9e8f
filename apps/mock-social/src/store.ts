import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';

export interface MockMedia {
  url: string;
  alt?: string;
}

/** A post a mock network accepted, as `GET /_mock/posts` shows it. */
export interface MockPost {
  id: string;
  network: string;
  handle: string;
  text: string;
  media: MockMedia[];
  idempotencyKey: string | null;
  receivedAt: string;
  /** When the post says it was made: the receive time, or (Bluesky) the record's own `createdAt`. */
  createdAt: string;
  /** Its place in its account's timeline, oldest first (not shown by `/_mock/posts`). */
  position?: number;
}

/** One page of an account's timeline, newest first, as the networks page them. */
export interface TimelineQuery {
  /** Posts before this position only (the cursor of the page before). */
  beforePosition?: number;
  /** Posts received at or after this instant only (epoch ms). */
  sinceMs?: number;
  untilMs?: number;
  limit: number;
}

/**
 * Media staged for a later post (a Mastodon or X upload), or a Graph
 * container (Threads, Instagram) with its publishing status.
 */
export interface StagedMedia extends MockMedia {
  text?: string;
  children?: string[];
  status: 'FINISHED' | 'PUBLISHED';
  /** The post it became, once published. */
  publishedId?: string;
}

export interface Account {
  network: string;
  handle: string;
}

/**
 * Everything the mock networks remember, in memory: accepted posts (appended,
 * indexed per account), issued tokens, staged media and Mastodon's
 * idempotency keys.
 */
@Injectable()
export class MockStore {
  private posts: MockPost[] = [];
  private byAccount = new Map<string, MockPost[]>();
  private tokens = new Map<string, Account>();
  private idempotent = new Map<string, { post: MockPost; at: number }>();
  private staged = new Map<string, StagedMedia>();
  private byId = new Map<string, MockPost>();
  private sequence = 1_000_000;

  issueToken(account: Account): string {
    const token = `${account.network}_${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, account);
    return token;
  }

  /** The account a bearer token stands for, if it is live and for this network. */
  accountOf(network: string, authorization: string | undefined): Account | undefined {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const account = token ? this.tokens.get(token) : undefined;
    return account && account.network === network ? account : undefined;
  }

  revokeTokens(network: string | undefined, handle: string | undefined): number {
    let revoked = 0;
    for (const [token, account] of this.tokens) {
      if ((!network || account.network === network) && (!handle || account.handle === handle)) {
        this.tokens.delete(token);
        revoked += 1;
      }
    }
    return revoked;
  }

  nextId(): string {
    this.sequence += 1;
    return `${Date.now()}${this.sequence}`;
  }

  /** Stores an accepted post; `idFor` shapes the network's own id (a URN, an at:// URI...) from a fresh number. */
  accept(
    account: Account,
    text: string,
    media: MockMedia[],
    idempotencyKey: string | null,
    idFor: (n: string) => string = (n) => n,
    createdAt?: string,
  ): MockPost {
    const receivedAt = new Date().toISOString();
    const post: MockPost = {
      id: idFor(this.nextId()),
      network: account.network,
      handle: account.handle,
      text,
      media,
      idempotencyKey,
      receivedAt,
      createdAt: createdAt ?? receivedAt,
    };
    const key = accountKey(account);
    const list = this.byAccount.get(key) ?? [];
    this.byAccount.set(key, list);
    Object.defineProperty(post, 'position', { value: list.length, enumerable: false });
    this.posts.push(post);
    list.push(post);
    this.byId.set(post.id, post);
    return post;
  }

  find(id: string): MockPost | undefined {
    return this.byId.get(id);
  }

  /**
   * A page of the account's posts, newest first, and the position to continue
   * before (the next page's cursor) when older posts remain.
   */
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
    const entry = this.idempotent.get(`${accountKey(account)}:${key}`);
    return entry && Date.now() - entry.at < 3_600_000 ? entry.post : undefined;
  }

  rememberIdempotent(account: Account, key: string, post: MockPost): void {
    this.idempotent.set(`${accountKey(account)}:${key}`, { post, at: Date.now() });
  }

  stage(media: Omit<StagedMedia, 'status'>): string {
    const id = randomUUID();
    this.staged.set(id, { ...media, status: 'FINISHED' });
    return id;
  }

  staged_(id: string): StagedMedia | undefined {
    return this.staged.get(id);
  }

  postsOf(account: Account): MockPost[] {
    return this.byAccount.get(accountKey(account)) ?? [];
  }

  list(filter: { network?: string; handle?: string }): MockPost[] {
    if (filter.network && filter.handle) return this.postsOf({ network: filter.network, handle: filter.handle });
    return this.posts.filter((post) => (!filter.network || post.network === filter.network) && (!filter.handle || post.handle === filter.handle));
  }

  clearPosts(): void {
    this.posts = [];
    this.byAccount.clear();
    this.byId.clear();
    this.idempotent.clear();
  }
}

function accountKey(account: Account): string {
  return `${account.network}:${account.handle}`;
}
