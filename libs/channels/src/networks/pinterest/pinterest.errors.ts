/**
 * Pinterest's error answers, `{code, message}` (API v5): 401 with code 2
 * ("Authentication failed") or 3 (the token expired or was revoked) ends the
 * channel's connection; 429 (code 8 [unverified]) is rate limited, with the
 * `x-ratelimit-*` headers. Source: developers.pinterest.com `/docs/api/v5/`
 * (error responses), `/docs/reference/rate-limits/`.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function pinterestError(reply: HttpReply): NetworkError {
  const reason = field(reply.body, 'message') ?? field(reply.body, 'error_description') ?? field(reply.body, 'error') ?? '';
  const code = field(reply.body, 'code');
  return classifyAnswer(reply, reason, reply.status === 401 || code === '2' || code === '3');
}
