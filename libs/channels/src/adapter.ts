import { ContentViolation, NetworkRules, PostContent, PublishContent } from './content';
import { AccountFigures, MetricsReading, MetricsRequest } from './metrics';
import { Network } from './network';

/** The credentials of one connected channel, as a call to its network needs them. */
export interface ChannelCredentials {
  handle: string;
  accessToken: string;
  /** The network's own id of the account: X user id, Bluesky DID, Mastodon account id, LinkedIn person id, Threads or Instagram user id, Facebook Page id. */
  accountId?: string;
  /** Where the account lives when it has a host of its own (a Mastodon instance, a Bluesky PDS); it wins over every other URL. */
  host?: string;
}

/** Where a published post lives on its network. */
export interface PublishedPost {
  /** The network's own id; null where the network confirmed the post but would not say its id. */
  externalId: string | null;
  externalUrl: string;
  /**
   * What a reply to this post must name beyond its id, where the network
   * wants more (Bluesky: the record's strong ref `{uri, cid}` as JSON).
   */
  threadRef?: string;
}

/** A post a reply or comment answers: its network id, and its `threadRef` where the network needs one. */
export interface ThreadAnchor {
  externalId: string;
  threadRef?: string;
}

/**
 * Where a part of a thread (or a first comment) goes: a reply to `parent`
 * in the thread that starts at `root` (X, Bluesky, Mastodon, Threads), or a
 * comment on `parent` (LinkedIn, Facebook, Instagram, whose `parent` is the
 * post itself).
 */
export interface ReplyTarget {
  root: ThreadAnchor;
  parent: ThreadAnchor;
}

/** What every call of one publish (or lookup) shares. */
export interface CallContext {
  credentials: ChannelCredentials;
  /**
   * No call may still be in flight after this instant (epoch ms, this
   * process's clock): the claim's lease ends soon after. A call that could not
   * finish before it is not sent.
   */
  deadline?: number;
  /** What connecting found of the channel (not secret): the board or location a channel posts to, an instance's limits. */
  details?: Record<string, unknown>;
  /** Told what each answer says of the channel's rate-limit budget (where the network reports it). */
  onRateLimit?: (reading: { remaining: number; resetAt: Date; limit?: number }) => void;
}

/**
 * The network's ids of files an earlier try of this delivery uploaded, kept
 * in Postgres: a retry within their lifetime reuses them instead of
 * uploading again (a Mastodon attachment, an X media id, a Bluesky blob, a
 * LinkedIn image URN, a Meta child container).
 */
export interface NetworkUploads {
  /** The kept id for this media key, if it is still valid. */
  get(key: string): string | undefined;
  /** Keeps it; resolves once committed. `expiresAt`: when the network forgets it (undefined: the delivery's lifetime). */
  keep(key: string, networkId: string, expiresAt?: Date): Promise<void>;
}

export interface PublishRequest extends CallContext {
  content: PublishContent;
  uploads: NetworkUploads;
  /** The delivery id. Sent where the network honours an idempotency key. */
  idempotencyKey: string;
  /** The network-side reference an earlier try of this delivery kept (see `keepRef`), if any. */
  ref?: string;
  /** The channel's defaults for its posts (Mastodon: `visibility`, `language`). */
  defaults?: { visibility?: string; language?: string };
  /**
   * Keeps a network-side reference in Postgres, and resolves once it is
   * committed, before the call that publishes: Bluesky's record key, a
   * Threads or Instagram container. A lookup after a crash then asks the
   * network for exactly that post instead of matching text.
   */
  keepRef(ref: string): Promise<void>;
  /** A part after the first, or a first comment: what it answers (see ReplyTarget). */
  replyTo?: ReplyTarget;
}

export interface LookupRequest extends CallContext {
  content: PostContent;
  idempotencyKey: string;
  /** The post, if it exists, was created no earlier than this (the claim, minus a clock-skew margin). */
  since: Date;
  /** The reference kept before the publishing call, if one was. */
  ref?: string;
  /**
   * Posts of this channel that other deliveries are recorded as: never taken
   * for this one, so two posts with the same text are not confused.
   */
  excludeExternalIds: ReadonlySet<string>;
  /** Looking for a reply or comment: what it answers (comments are read on their post). */
  replyTo?: ReplyTarget;
}

/** Taking one post down: a post of one part, a part of a thread, or a first comment. */
export interface DeleteRequest extends CallContext {
  /** The network's id of it, as Herald recorded it when it went out. */
  externalId: string;
}

/** `deleted`: the network took it down now; `gone`: the network says it is not there (taken down already, by an earlier try or by hand). */
export type DeleteOutcome = 'deleted' | 'gone';

/**
 * One network behind one interface. Every method that calls the network throws
 * `NetworkError` (never a raw fetch error) on failure.
 */
export interface ChannelAdapter {
  readonly network: Network;
  readonly rules: NetworkRules;
  /** The network de-duplicates on an idempotency key: a retry with the same key is safe. */
  readonly honoursIdempotencyKey: boolean;

  /** Checks text and media against the network's real limits (and the channel's own, from `details`); empty when fine. Pure. */
  validate(content: PostContent, details?: Record<string, unknown>): ContentViolation[];

  /** Publishes once. */
  publish(request: PublishRequest): Promise<PublishedPost>;

  /**
   * Finds the post this delivery may already have created (after a crash or
   * an ambiguous failure): by the kept reference where there is one, else by
   * reading everything the account posted since `since`, page by page.
   * Resolves null when the network says it is not there; throws NetworkError
   * when the network cannot tell (including when the account posted more
   * since then than the lookup reads: `lookup_too_deep`).
   */
  lookup(request: LookupRequest): Promise<PublishedPost | null>;

  /**
   * The account's own posting cap, where the network reports one (Instagram's
   * content publishing limit): at most `posts` in any `windowMs`, of which
   * `used` in the last window. Undefined where it does not.
   */
  postingQuota?(context: CallContext): Promise<{ posts: number; windowMs: number; used: number } | undefined>;

  /**
   * Takes a post (or a reply, or a comment) of the account down through the
   * network's delete API: `gone` when the network says it is not there, so a
   * retry after a crash is safe. Absent where the API cannot delete (see
   * `rules.deletion`). Throws NetworkError like every call.
   */
  delete?(request: DeleteRequest): Promise<DeleteOutcome>;

  /** How many posts one `readMetrics` call takes at most (X 100, Bluesky 25; 1 where the network reads one post a call). */
  readonly metricsBatchSize?: number;

  /**
   * What these posts earned, as the network reports it now: one reading per
   * id the network answered for (a post it says is gone is `gone`). Throws
   * NetworkError like every call. Absent where Herald reads no metrics.
   */
  readMetrics?(request: MetricsRequest): Promise<MetricsReading[]>;

  /**
   * The account's own figures now (followers, and what else the network
   * gives), read once a day per channel; null where the network gives none
   * for this account (a LinkedIn member). Throws NetworkError like every
   * call. Absent where Herald reads none.
   */
  readAccount?(context: CallContext): Promise<AccountFigures | null>;
}
