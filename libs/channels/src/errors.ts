/**
 * The one taxonomy of network failures. Adapters map every network's own error
 * format onto it; nothing above the adapters looks at a network's raw error.
 *
 * - transient: 5xx, timeout, connection reset — retry with backoff.
 * - rate_limited: 429 — wait `retryAfterMs`, do not spend an attempt.
 * - rejected: content or media refused — fail at once with the network's reason.
 * - auth_revoked: 401/invalid token — fail, and the channel becomes disconnected.
 * - auth_expired: the access token lapsed (Bluesky's 400 ExpiredToken, Meta's
 *   code 190/463, X's 401 for a channel that can refresh): refresh it and try
 *   once more, without spending an attempt; if the refresh is refused, the
 *   channel becomes disconnected.
 */
export type NetworkErrorClass = 'transient' | 'rate_limited' | 'rejected' | 'auth_revoked' | 'auth_expired';

export class NetworkError extends Error {
  constructor(
    readonly errorClass: NetworkErrorClass,
    /** Short machine-readable code, e.g. `http_503`, `timeout`, `text_too_long`, `invalid_token`. */
    readonly code: string,
    message: string,
    readonly details: {
      httpStatus?: number;
      retryAfterMs?: number;
      /**
       * True when the request may have reached the network and been acted on
       * (timeout or connection dropped after the request was sent): the
       * outcome is unknown, so a network without idempotency keys must be
       * looked up before any retry.
       */
      ambiguous?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'NetworkError';
  }

  get httpStatus(): number | undefined {
    return this.details.httpStatus;
  }
  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
  get ambiguous(): boolean {
    return this.details.ambiguous ?? false;
  }
}
