/** LinkedIn's error answers (`{status, serviceErrorCode, code, message}`): 65600 (invalid token) and 65601 (REVOKED_ACCESS_TOKEN) end the channel's connection. */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function linkedinError(reply: HttpReply): NetworkError {
  const reason = field(reply.body, 'message') ?? field(reply.body, 'error_description') ?? field(reply.body, 'error') ?? '';
  const code = field(reply.body, 'serviceErrorCode');
  return classifyAnswer(reply, reason, code === '65600' || code === '65601');
}
