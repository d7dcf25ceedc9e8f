/**
 * Bluesky's XRPC errors (`{error, message}`): an expired access token is an
 * HTTP **400** `ExpiredToken` (not a 401), renewed with the refresh token;
 * `InvalidToken` and `AuthenticationRequired` mean the session is gone.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function blueskyError(reply: HttpReply): NetworkError {
  const error = field(reply.body, 'error') ?? '';
  const reason = field(reply.body, 'message') ?? error;
  if (error === 'ExpiredToken') return new NetworkError('auth_expired', 'token_expired', reason || 'Token has expired', { httpStatus: reply.status });
  if (error === 'RecordNotFound') return new NetworkError('rejected', 'record_not_found', reason, { httpStatus: reply.status });
  return classifyAnswer(reply, reason, ['InvalidToken', 'AuthenticationRequired', 'AccountTakedown'].includes(error));
}
