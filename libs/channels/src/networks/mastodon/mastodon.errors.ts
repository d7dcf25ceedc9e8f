/** Mastodon's error answers (`{error}`) in Herald's taxonomy: 401 "The access token is invalid" is a revoked token (they do not expire). */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function mastodonError(reply: HttpReply): NetworkError {
  const reason = field(reply.body, 'error') ?? '';
  return classifyAnswer(reply, reason, /access token/i.test(reason));
}
