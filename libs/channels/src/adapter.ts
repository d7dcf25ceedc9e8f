import { ContentViolation, NetworkRules, PostContent } from './content';
import { Network } from './network';

/** The credentials of one connected channel. */
export interface ChannelCredentials {
  handle: string;
  accessToken: string;
}

/** Where a published post lives on its network. */
export interface PublishedPost {
  externalId: string;
  externalUrl: string;
}

export interface PublishRequest {
  credentials: ChannelCredentials;
  content: PostContent;
  /** The delivery id. Sent where the network honours an idempotency key. */
  idempotencyKey: string;
}

export interface LookupRequest {
  credentials: ChannelCredentials;
  content: PostContent;
  idempotencyKey: string;
  /** The post, if it exists, was created no earlier than this. */
  since: Date;
}

/**
 * One network behind one interface. Every method that calls the network throws
 * `NetworkError` (never a raw fetch error) on failure.
 */
export interface ChannelAdapter {
  readonly network: Network;
  readonly rules: NetworkRules;
  /** The network de-duplicates on an idempotency key: a retry with the same key is safe. */
  readonly honoursIdempotencyKey: boolean;

  /** Checks text and media against the network's real limits; empty when fine. Pure. */
  validate(content: PostContent): ContentViolation[];

  /** Obtains an access token for a handle (the mock's stand-in for an OAuth flow). */
  connect(handle: string): Promise<{ accessToken: string }>;

  /** Publishes once. */
  publish(request: PublishRequest): Promise<PublishedPost>;

  /**
   * Finds a post this delivery may already have created (after a crash or an
   * ambiguous failure). Resolves null when the network says it is not there;
   * throws NetworkError when the network cannot tell.
   */
  lookup(request: LookupRequest): Promise<PublishedPost | null>;
}
