/**
 * Google's error answers as the Business Profile APIs send them, `{error:
 * {code, message, status, details}}`: a 401 is a lapsed or revoked token
 * (renewed once, then the channel is disconnected); 403 `PERMISSION_DENIED`
 * (the scope not granted, or the location no longer the account's) needs
 * the channel connected again; 429 `RESOURCE_EXHAUSTED` is rate limited
 * (Google's default: 300 queries a minute a project, 10 edits a minute a
 * location); the rest of the 4xx are refused for good (`INVALID_ARGUMENT`
 * with what Google could not take). Sources: developers.google.com
 * `/my-business/content/limits`, cloud.google.com `/apis/design/errors`.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field, retryAfterMs } from '../../http/http';

export function googleBusinessError(reply: HttpReply): NetworkError {
  const status = field(reply.body, 'error', 'status') ?? field(reply.body, 'error');
  const message = field(reply.body, 'error', 'message') ?? field(reply.body, 'error_description') ?? (typeof reply.body === 'string' ? reply.body : '');
  const said = [status, message].filter(Boolean).join(': ');
  if (reply.status === 429 || status === 'RESOURCE_EXHAUSTED') {
    return new NetworkError('rate_limited', 'resource_exhausted', said || 'Rate limited', { httpStatus: reply.status, retryAfterMs: retryAfterMs(reply.headers) ?? 60_000 });
  }
  if (reply.status === 401) return new NetworkError('auth_expired', 'auth_expired', said || 'The access token lapsed or was revoked', { httpStatus: 401 });
  if (reply.status === 403 && status === 'PERMISSION_DENIED') {
    return new NetworkError('auth_revoked', 'permission_denied', `${said}: connect the channel again, granting "See, edit, create and delete your Google business listings"`, { httpStatus: 403 });
  }
  const error = classifyAnswer(reply, said, false);
  return status && error.errorClass === 'rejected' ? new NetworkError('rejected', status.toLowerCase(), error.message, error.details) : error;
}
