/**
 * Pinterest's OAuth 2.0: `GET /oauth/` (consent), `POST /v5/oauth/token`
 * with the app in HTTP Basic: 30-day access tokens and year-long refresh
 * tokens (not rotated).
 */
import type { FastifyInstance } from 'fastify';
import { CODE_PROBLEMS } from '../../auth/authorization-codes';
import { authorize, isHttpUri } from '../../auth/authorize';
import { basicCredentials } from '../../auth/oauth-apps';
import { Answer, fieldsOf, headerOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';

const ACCESS_TTL_SECONDS = 2_592_000;
const REFRESH_TTL_SECONDS = 31_536_000;
const SCOPES = new Set(['boards:read', 'boards:write', 'pins:read', 'pins:write', 'user_accounts:read']);

export function registerPinterestOAuth(app: FastifyInstance, world: MockWorld): void {
  app.get('/oauth/', (request, reply) => {
    send(
      reply,
      authorize(
        world,
        {
          network: 'pinterest',
          pkce: 'none',
          checkClient: (clientId, redirectUri) =>
            clientId !== world.apps.clientId
              ? { status: 400, body: { code: 1, message: 'Invalid client_id' } }
              : !isHttpUri(redirectUri)
                ? { status: 400, body: { code: 1, message: 'Invalid redirect_uri' } }
                : undefined,
          checkScope: (scope) => {
            const asked = (scope ?? '').split(',').filter(Boolean);
            if (asked.length === 0 || asked.some((item) => !SCOPES.has(item))) return { error: `Unknown or empty scope: ${scope ?? ''}` };
            return { scope: asked.join(',') };
          },
        },
        queryOf(request),
      ),
    );
  });

  app.post('/v5/oauth/token', (request, reply) => {
    const fields = fieldsOf(request);
    const grantType = stringField(fields, 'grant_type') ?? '';
    const answer = token(world, basicCredentials(headerOf(request, 'authorization')), fields, grantType);
    world.tokenCalls.record('pinterest', undefined, grantType || '(none)', answer.status !== 200);
    send(reply, answer);
  });
}

function token(world: MockWorld, client: { clientId: string; clientSecret: string } | undefined, fields: Record<string, unknown>, grantType: string): Answer {
  if (!client || !world.apps.isRegistered(client.clientId, client.clientSecret)) return { status: 401, body: { code: 2, message: 'Authentication failed.' } };
  if (grantType === 'authorization_code') {
    const redeemed = world.codes.redeem(stringField(fields, 'code'), { network: 'pinterest', clientId: client.clientId, redirectUri: stringField(fields, 'redirect_uri'), verifier: undefined });
    if (!redeemed.ok) return { status: 400, body: { code: 1, message: CODE_PROBLEMS[redeemed.reason] } };
    return { status: 200, body: issuePinterest(world, redeemed.grant.handle, redeemed.grant.scope) };
  }
  if (grantType === 'refresh_token') {
    const refresh = stringField(fields, 'refresh_token');
    const checked = world.tokens.check(refresh, 'pinterest');
    if (checked.state !== 'valid' || checked.grant.kind !== 'refresh') return { status: 400, body: { code: 1, message: 'Invalid refresh token.' } };
    const access = world.tokens.issue({ network: 'pinterest', handle: checked.grant.handle, kind: 'access', scope: checked.grant.scope, ttlSeconds: ACCESS_TTL_SECONDS });
    return { status: 200, body: { access_token: access, response_type: 'refresh_token', token_type: 'bearer', expires_in: ACCESS_TTL_SECONDS, scope: checked.grant.scope } };
  }
  return { status: 400, body: { code: 1, message: `Unsupported grant_type: ${grantType}` } };
}

export function issuePinterest(world: MockWorld, handle: string, scope: string): Record<string, unknown> {
  return {
    access_token: world.tokens.issue({ network: 'pinterest', handle, kind: 'access', scope, ttlSeconds: ACCESS_TTL_SECONDS }),
    refresh_token: world.tokens.issue({ network: 'pinterest', handle, kind: 'refresh', scope, ttlSeconds: REFRESH_TTL_SECONDS }),
    response_type: 'authorization_code',
    token_type: 'bearer',
    expires_in: ACCESS_TTL_SECONDS,
    refresh_token_expires_in: REFRESH_TTL_SECONDS,
    scope,
  };
}
