/**
 * Google's error answers, `{error: {code, message, errors: [{reason, domain,
 * message}]}}` (the Data API's): a 401 is a lapsed or revoked token (renewed
 * once, then the channel is disconnected); a 403 `quotaExceeded`,
 * `dailyLimitExceeded` or `uploadLimitExceeded` waits for the quota's day to
 * end (midnight Pacific time), `rateLimitExceeded` and
 * `userRateLimitExceeded` a short while; `insufficientPermissions` (a scope
 * not granted) needs the channel connected again; the others are refused
 * for good (`invalidTitle`, `invalidDescription`, `youtubeSignupRequired`...).
 * Sources: developers.google.com `/youtube/v3/docs/errors`,
 * `/youtube/v3/docs/videos/insert#errors`.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field, list, retryAfterMs } from '../../http/http';

const DAY_LIMITS = new Set(['quotaExceeded', 'dailyLimitExceeded', 'uploadLimitExceeded']);
const SHORT_LIMITS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

export function youtubeError(reply: HttpReply): NetworkError {
  const reason = list(reply.body, 'error', 'errors').map((item) => field(item, 'reason')).find((value): value is string => value !== undefined) ?? field(reply.body, 'error');
  const message = field(reply.body, 'error', 'message') ?? field(reply.body, 'error_description') ?? (typeof reply.body === 'string' ? reply.body : '');
  const said = [reason, message].filter(Boolean).join(': ');
  if (reason && DAY_LIMITS.has(reason)) {
    return new NetworkError('rate_limited', reason, `YouTube's quota is spent (${said}); it resets at midnight Pacific time`, { httpStatus: reply.status, retryAfterMs: untilPacificMidnight() });
  }
  if (reason && SHORT_LIMITS.has(reason)) {
    return new NetworkError('rate_limited', reason, said, { httpStatus: reply.status, retryAfterMs: retryAfterMs(reply.headers) ?? 60_000 });
  }
  if (reply.status === 401) return new NetworkError('auth_expired', 'auth_expired', said || 'The access token lapsed or was revoked', { httpStatus: 401 });
  if (reason === 'insufficientPermissions' || reason === 'forbidden' && /scope/i.test(message)) {
    return new NetworkError('auth_revoked', 'insufficient_permissions', `${said}: connect the channel again, granting YouTube upload`, { httpStatus: reply.status });
  }
  const error = classifyAnswer(reply, said, false);
  return reason && error.errorClass === 'rejected' ? new NetworkError('rejected', reason, error.message, error.details) : error;
}

/** Milliseconds until the next midnight in America/Los_Angeles, when YouTube's daily quota resets. */
export function untilPacificMidnight(now: number = Date.now()): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(now));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0) % 24;
  const elapsed = ((value('hour') * 60 + value('minute')) * 60 + value('second')) * 1000;
  return Math.max(1000, 86_400_000 - elapsed);
}
