/**
 * Meta's OAuth (Threads, Instagram, Facebook): the authorization code goes
 * to a Graph token endpoint, and the answer is not standard OAuth (no
 * `token_type`, ids beside the token), so it is read by hand. Short-lived
 * user tokens (an hour) are exchanged at once for long-lived ones (sixty
 * days).
 */
import { TokenSet } from '../../connector';
import { NetworkError } from '../../errors';
import { HttpReply, field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { graphError } from './graph-errors';

export const GRAPH_VERSION = 'v21.0';

export function graphClient(baseUrl: string, timeoutMs: number, accessToken = ''): NetworkClient {
  return new NetworkClient(baseUrl, timeoutMs, { credentials: { handle: '', accessToken } }, graphError);
}

/** A Graph answer's token, with its lifetime when it says one. */
export function tokenOf(reply: HttpReply, what: string): TokenSet {
  const accessToken = field(reply.body, 'access_token');
  if (!accessToken) throw new NetworkError('rejected', 'invalid_token_response', `Meta answered ${what} without an access token`);
  const expiresIn = Number(field(reply.body, 'expires_in'));
  return { accessToken, ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}) };
}
