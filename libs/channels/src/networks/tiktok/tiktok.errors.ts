/**
 * TikTok's error answers, `{data, error: {code, message, log_id}}` (code
 * `ok` on success): `access_token_invalid` (401) is a lapsed token (renewed
 * once, then the channel is disconnected), `scope_not_authorized` needs the
 * channel connected again, `rate_limit_exceeded` (429) and
 * `spam_risk_too_many_posts` wait, `internal_error` is tried again; the
 * others (`invalid_params`, `privacy_level_option_mismatch`,
 * `unaudited_client_can_only_post_to_private_accounts`,
 * `url_ownership_unverified`...) are refused for good, TikTok's message and
 * log id kept. Source: developers.tiktok.com `/doc/tiktok-api-v2-error-handling`,
 * `/doc/content-posting-api-reference-direct-post` (error codes).
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field, retryAfterMs } from '../../http/http';

const DAY_MS = 86_400_000;

export function tiktokError(reply: HttpReply): NetworkError {
  const code = field(reply.body, 'error', 'code') ?? field(reply.body, 'error') ?? '';
  const message = field(reply.body, 'error', 'message') ?? field(reply.body, 'error_description') ?? '';
  const logId = field(reply.body, 'error', 'log_id');
  const said = [code, message].filter(Boolean).join(': ') + (logId ? ` (log id ${logId})` : '');
  if (code === 'scope_not_authorized') return new NetworkError('auth_revoked', 'scope_not_authorized', `${said}: connect the channel again, allowing TikTok to post videos`, { httpStatus: reply.status });
  if (code === 'access_token_invalid' || reply.status === 401) return new NetworkError('auth_expired', 'auth_expired', said || 'The access token lapsed or was revoked', { httpStatus: reply.status });
  if (code === 'spam_risk_too_many_posts') return new NetworkError('rate_limited', code, `${said}: the creator's posts for the day are spent`, { httpStatus: reply.status, retryAfterMs: DAY_MS });
  if (code === 'rate_limit_exceeded') return new NetworkError('rate_limited', code, said, { httpStatus: reply.status, retryAfterMs: retryAfterMs(reply.headers) ?? 60_000 });
  const error = classifyAnswer(reply, said, false);
  return code && error.errorClass === 'rejected' ? new NetworkError('rejected', code, error.message, error.details) : error;
}
