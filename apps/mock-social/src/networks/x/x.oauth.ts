/**
 * X's OAuth 2.0: `GET /i/oauth2/authorize` (PKCE required: S256, in any
 * case, or plain), and
 * `POST /2/oauth2/token` (a form; the confidential client by Basic auth):
 * an authorization code (30 s, single-use) for an access token of
 * MOCK_ACCESS_TOKEN_TTL_SECONDS, with a refresh token when `offline.access`
 * was granted; a refresh token is single-use, every refresh answers a new
 * pair. `POST /2/oauth2/revoke`.
 */
import type { FastifyInstance } from 'fastify';
import { CODE_PROBLEMS } from '../../auth/authorization-codes';
import { authorize, isHttpUri } from '../../auth/authorize';
import { basicCredentials } from '../../auth/oauth-apps';
import { Answer, fieldsOf, headerOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';

const SCOPES = new Set(['tweet.read', 'tweet.write', 'tweet.moderate.write', 'users.read', 'follows.read', 'follows.write', 'offline.access', 'space.read', 'mute.read', 'mute.write', 'like.read', 'like.write', 'list.read', 'list.write', 'block.read', 'block.write', 'bookmark.read', 'bookmark.write', 'media.write', 'dm.read', 'dm.write']);
const INVALID_TOKEN = { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' };

export function registerXOAuth(app: FastifyInstance, world: MockWorld): void {
  app.get('/i/oauth2/authorize', (request, reply) => {
    send(
      reply,
      authorize(
        world,
        {
          network: 'x',
          pkce: 'required',
          // X takes S256 in any case, and plain (its docs: "S256 or plain").
          pkceMethods: ['S256', 'plain'],
          pkceMethodAnyCase: true,
          checkClient: (clientId, redirectUri) =>
            clientId !== world.apps.clientId
              ? { status: 400, body: { error: 'invalid_client', error_description: 'Something went wrong. You weren\u2019t able to give access to the App.' } }
              : !isHttpUri(redirectUri)
                ? { status: 400, body: { error: 'invalid_request', error_description: 'redirect_uri must be an http(s) URI' } }
                : undefined,
          checkScope: (scope) => {
            const asked = (scope ?? '').split(' ').filter(Boolean);
            if (asked.length === 0) return { error: 'scope is required' };
            const unknown = asked.find((item) => !SCOPES.has(item));
            return unknown ? { error: `unknown scope ${unknown}` } : { scope: asked.join(' ') };
          },
        },
        queryOf(request),
      ),
    );
  });

  app.post('/2/oauth2/token', (request, reply) => {
    const fields = fieldsOf(request);
    const grantType = stringField(fields, 'grant_type') ?? '';
    const answer = token(world, headerOf(request, 'authorization'), fields, grantType);
    world.tokenCalls.record('x', undefined, grantType || '(none)', answer.status !== 200);
    send(reply, answer);
  });

  app.post('/2/oauth2/revoke', (request, reply) => {
    const fields = fieldsOf(request);
    const client = basicCredentials(headerOf(request, 'authorization'));
    if (!client || !world.apps.isRegistered(client.clientId, client.clientSecret)) {
      return send(reply, { status: 401, body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' } });
    }
    const value = stringField(fields, 'token');
    if (value && world.tokens.check(value, 'x').state !== 'unknown') world.tokens.revoke(value);
    send(reply, { status: 200, body: { revoked: true } });
  });
}

function token(world: MockWorld, authorization: string | undefined, fields: Record<string, unknown>, grantType: string): Answer {
  const client = basicCredentials(authorization);
  if (!client || !world.apps.isRegistered(client.clientId, client.clientSecret)) {
    return { status: 401, body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' } };
  }
  if (grantType === 'authorization_code') {
    const redeemed = world.codes.redeem(stringField(fields, 'code'), {
      network: 'x',
      clientId: client.clientId,
      redirectUri: stringField(fields, 'redirect_uri'),
      verifier: stringField(fields, 'code_verifier'),
    });
    if (!redeemed.ok) return { status: 400, body: { error: 'invalid_grant', error_description: CODE_PROBLEMS[redeemed.reason] } };
    return { status: 200, body: issuePair(world, redeemed.grant.handle, redeemed.grant.scope) };
  }
  if (grantType === 'refresh_token') {
    const refresh = stringField(fields, 'refresh_token');
    const checked = world.tokens.check(refresh, 'x');
    if (checked.state !== 'valid' || checked.grant.kind !== 'refresh' || checked.grant.clientId !== client.clientId) return { status: 400, body: INVALID_TOKEN };
    world.tokens.markUsed(refresh!);
    return { status: 200, body: issuePair(world, checked.grant.handle, checked.grant.scope) };
  }
  return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code or refresh_token' } };
}

/** An access token, and a refresh token when `offline.access` was granted: X's token answer. */
export function issuePair(world: MockWorld, handle: string, scope: string): Record<string, unknown> {
  const ttl = world.config.accessTokenTtlSeconds;
  const account = { network: 'x', handle, clientId: world.apps.clientId, scope };
  const accessToken = world.tokens.issue({ ...account, kind: 'access', ttlSeconds: ttl });
  const offline = scope.split(' ').includes('offline.access');
  return {
    token_type: 'bearer',
    expires_in: ttl,
    access_token: accessToken,
    scope,
    ...(offline ? { refresh_token: world.tokens.issue({ ...account, kind: 'refresh' }) } : {}),
  };
}
