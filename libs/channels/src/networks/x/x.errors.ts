/**
 * X's error answers (`{title, detail, type, status}`) in Herald's taxonomy.
 * A 401 is `auth_expired`: X says the same for a lapsed and a revoked token,
 * so the publisher refreshes once and only then counts it revoked. A 403
 * for duplicate content means an earlier try of this post may have gone
 * out: ambiguous, so it is looked up before anything else. A validation
 * failure (400) puts its specifics in `errors[].message` under a generic
 * detail ("One or more parameters to your request was invalid."): those
 * are the reason.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function xError(reply: HttpReply): NetworkError {
  const reason = specificsOf(reply.body) ?? field(reply.body, 'detail') ?? field(reply.body, 'title') ?? '';
  if (reply.status === 401) return new NetworkError('auth_expired', 'token_not_accepted', reason || 'X did not accept the access token', { httpStatus: 401 });
  if (reply.status === 403 && /duplicate content/i.test(reason)) {
    return new NetworkError('transient', 'duplicate_content', reason, { httpStatus: 403, ambiguous: true });
  }
  return classifyAnswer(reply, reason, reply.status === 403 && /token/i.test(reason));
}

/** The messages of X's `errors[]` (its validation failures' specifics), or undefined when it has none. */
function specificsOf(body: unknown): string | undefined {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return undefined;
  const messages = errors.map((error) => field(error, 'message')).filter((message): message is string => Boolean(message));
  return messages.length > 0 ? messages.join('; ') : undefined;
}
