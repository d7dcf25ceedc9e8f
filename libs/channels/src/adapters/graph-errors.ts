/** Meta's Graph API errors (Threads, Instagram, Facebook): code 190 is an invalid token. */
import { NetworkError } from '../errors';
import { HttpReply, classifyAnswer, field } from './http';

export function graphError(reply: HttpReply): NetworkError {
  const reason = field(reply.body, 'error', 'message') ?? '';
  const code = field(reply.body, 'error', 'code');
  if (code === '4' || code === '17' || code === '32' || code === '613') {
    return classifyAnswer({ ...reply, status: 429 }, reason, false);
  }
  return classifyAnswer(reply, reason, code === '190');
}
