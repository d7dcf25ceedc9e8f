/**
 * TikTok's OAuth v2: `GET /v2/auth/authorize/` (consent; the app is
 * `client_key`; scopes comma-separated; PKCE when a challenge is sent),
 * `POST /v2/oauth/token/` with the app's key and secret in the form: day-long
 * access tokens with the account's `open_id`, year-long refresh tokens.
 * Its token errors are `{error, error_description, log_id}`.
 */
import type { FastifyInstance } from 'fastify';
import { numericIdOf } from '../../accounts';
import { CODE_PROBLEMS } from '../../auth/authorization-codes';
import { authorize, isHttpUri } from '../../auth/authorize';
import { Answer, fieldsOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';
import { logId } from './tiktok.face';

const ACCESS_TTL_SECONDS = 86_400;
const REFRESH_TTL_SECONDS = 31_536_000;
const SCOPES = new Set(['user.info.basic', 'user.info.profile', 'user.info.stats', 'video.list', 'video.publish', 'video.upload']);

/** The account's open id: stable per handle. */
export function openIdOf(handle: string): string {
  return `-000${numericIdOf(handle, 'tiktok')}`;
}

export function registerTikTokOAuth(app: FastifyInstance, world: MockWorld): void {
  app.get('/v2/auth/authorize/', (request, reply) => {
    const query = queryOf(request);
    send(
      reply,
      authorize(
        world,
        {
          network: 'tiktok',
          pkce: 'optional',
          checkClient: (clientId, redirectUri) =>
            clientId !== world.apps.clientId
              ? { status: 400, body: { error: 'invalid_client', error_description: 'client_key is invalid', log_id: logId() } }
              : !isHttpUri(redirectUri)
                ? { status: 400, body: { error: 'invalid_request', error_description: 'redirect_uri is invalid', log_id: logId() } }
                : undefined,
          checkScope: (scope) => {
            const asked = (scope ?? '').split(',').filter(Boolean);
            if (asked.length === 0) return { error: 'scope is required' };
            const unknown = asked.find((item) => !SCOPES.has(item));
            return unknown ? { error: `Unknown scope: ${unknown}` } : { scope: asked.join(',') };
          },
        },
        // TikTok names the app `client_key`.
        { ...query, client_id: query.client_key },
      ),
    );
  });

  app.post('/v2/oauth/token/', (request, reply) => {
    const fields = fieldsOf(request);
    const grantType = stringField(fields, 'grant_type') ?? '';
    const answer = token(world, fields, grantType);
    world.tokenCalls.record('tiktok', undefined, grantType || '(none)', answer.status !== 200);
    send(reply, answer);
  });
}

function token(world: MockWorld, fields: Record<string, unknown>, grantType: string): Answer {
  const refuse = (error: string, description: string, status = 400): Answer => ({ status, body: { error, error_description: description, log_id: logId() } });
  const clientKey = stringField(fields, 'client_key');
  if (!world.apps.isRegistered(clientKey, stringField(fields, 'client_secret'))) return refuse('invalid_client', 'Client key or secret is incorrect.', 401);
  if (grantType === 'authorization_code') {
    const redeemed = world.codes.redeem(stringField(fields, 'code'), { network: 'tiktok', clientId: clientKey!, redirectUri: stringField(fields, 'redirect_uri'), verifier: fields.code_verifier });
    if (!redeemed.ok) return refuse('invalid_grant', CODE_PROBLEMS[redeemed.reason]);
    return { status: 200, body: issue(world, redeemed.grant.handle, redeemed.grant.scope) };
  }
  if (grantType === 'refresh_token') {
    const checked = world.tokens.check(stringField(fields, 'refresh_token'), 'tiktok');
    if (checked.state !== 'valid' || checked.grant.kind !== 'refresh') return refuse('invalid_grant', 'Refresh token is invalid or expired.');
    return { status: 200, body: issue(world, checked.grant.handle, checked.grant.scope) };
  }
  return refuse('unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
}

function issue(world: MockWorld, handle: string, scope: string): Record<string, unknown> {
  return {
    access_token: world.tokens.issue({ network: 'tiktok', handle, kind: 'access', scope, ttlSeconds: ACCESS_TTL_SECONDS }),
    expires_in: ACCESS_TTL_SECONDS,
    open_id: openIdOf(handle),
    refresh_token: world.tokens.issue({ network: 'tiktok', handle, kind: 'refresh', scope, ttlSeconds: REFRESH_TTL_SECONDS }),
    refresh_expires_in: REFRESH_TTL_SECONDS,
    scope,
    token_type: 'Bearer',
  };
}
