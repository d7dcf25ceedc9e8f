/**
 * Meta's Graph API errors (Threads, Instagram, Facebook): code 190 is a token
 * the Graph no longer takes, expired (subcode 463: renew it and try once
 * more) or invalidated (the person must reconnect); 4, 17, 32 and 613 are
 * rate limits.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function graphError(reply: HttpReply): NetworkError {
  const reason = field(reply.body, 'error', 'message') ?? '';
  const code = field(reply.body, 'error', 'code');
  if (code === '190' && field(reply.body, 'error', 'error_subcode') === '463') {
    return new NetworkError('auth_expired', 'token_expired', reason || 'The access token has expired', { httpStatus: reply.status });
  }
  if (code === '4' || code === '17' || code === '32' || code === '613') {
    return classifyAnswer({ ...reply, status: 429 }, reason, false);
  }
  return classifyAnswer(reply, reason, code === '190');
}
