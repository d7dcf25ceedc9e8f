/**
 * LinkedIn's OAuth 2.0 (3-legged): `GET /oauth/v2/authorization`, and
 * `POST /oauth/v2/accessToken` (a form with client_id and client_secret):
 * 60-day access tokens; a refresh token only when MOCK_LINKEDIN_REFRESH=1
 * (LinkedIn grants them to approved partners), which does not rotate.
 * `GET /v2/userinfo` (OpenID Connect) names the member;
 * `POST /oauth/v2/introspectToken` tells a token's state.
 */
import type { FastifyInstance } from 'fastify';
import { Account, linkedinSubOf } from '../../accounts';
import { CODE_PROBLEMS } from '../../auth/authorization-codes';
import { authorize, isHttpUri } from '../../auth/authorize';
import { Answer, fieldsOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';
import { linkedinFace } from './linkedin.face';

const ACCESS_TTL_SECONDS = 5_184_000;
const REFRESH_TTL_SECONDS = 31_536_000;

export function registerLinkedInOAuth(app: FastifyInstance, world: MockWorld): void {
  const face = linkedinFace(world);

  app.get('/oauth/v2/authorization', (request, reply) => {
    send(
      reply,
      authorize(
        world,
        {
          network: 'linkedin',
          pkce: 'none',
          checkClient: (clientId, redirectUri) =>
            clientId !== world.apps.clientId
              ? { status: 400, body: { error: 'invalid_client', error_description: `The passed in client_id is invalid "${clientId ?? ''}"` } }
              : !isHttpUri(redirectUri)
                ? { status: 400, body: { error: 'invalid_redirect_uri', error_description: 'The redirect_uri does not match the registered value' } }
                : undefined,
          checkScope: (scope) => {
            const asked = (scope ?? '').split(/[\s,]+/).filter(Boolean);
            if (asked.length === 0 || asked.some((item) => !/^[a-z_]+$/.test(item))) return { error: 'Scope is empty or malformed' };
            return { scope: asked.join(',') };
          },
        },
        queryOf(request),
      ),
    );
  });

  app.post('/oauth/v2/accessToken', (request, reply) => {
    const fields = fieldsOf(request);
    const grantType = stringField(fields, 'grant_type') ?? '';
    const answer = token(world, fields, grantType);
    world.tokenCalls.record('linkedin', undefined, grantType || '(none)', answer.status !== 200);
    send(reply, answer);
  });

  // Token introspection: the app's credentials and a token (form) → whether it is active, why not, its scope and times (epoch seconds).
  app.post('/oauth/v2/introspectToken', (request, reply) => send(reply, introspect(world, fieldsOf(request))));

  app.get('/v2/userinfo', (request, reply) =>
    world.gate.run(face, request, reply, (account) => ({
      status: 200,
      body: {
        sub: linkedinSubOf(account.handle),
        email_verified: true,
        ...memberName(world, account),
        locale: { country: 'US', language: 'en' },
        ...((account.scope ?? '').split(',').includes('email') ? { email: `${account.handle}@example.com` } : {}),
      },
    })),
  );
}

/** The member's name as OpenID's userinfo gives it (`name`, `given_name`, `family_name`) and `picture`. */
function memberName(world: MockWorld, account: Account): Record<string, string> {
  const shown = world.profiles.of(account);
  const [given, ...family] = shown.displayName.split(' ');
  return { name: shown.displayName, given_name: given ?? shown.displayName, family_name: family.join(' ') || 'Mock', picture: `${world.url('linkedin')}${shown.avatarPath}` };
}

function token(world: MockWorld, fields: Record<string, unknown>, grantType: string): Answer {
  const clientId = stringField(fields, 'client_id');
  if (!world.apps.isRegistered(clientId, stringField(fields, 'client_secret'))) {
    return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
  }
  if (grantType === 'authorization_code') {
    const redeemed = world.codes.redeem(stringField(fields, 'code'), { network: 'linkedin', clientId: clientId!, redirectUri: stringField(fields, 'redirect_uri'), verifier: undefined });
    if (!redeemed.ok) return { status: 400, body: { error: 'invalid_grant', error_description: `Unable to retrieve access token: ${CODE_PROBLEMS[redeemed.reason]}` } };
    return { status: 200, body: issueLinkedIn(world, redeemed.grant.handle, redeemed.grant.scope) };
  }
  if (grantType === 'refresh_token' && world.config.linkedinRefresh) {
    const refresh = stringField(fields, 'refresh_token');
    const checked = world.tokens.check(refresh, 'linkedin');
    if (checked.state !== 'valid' || checked.grant.kind !== 'refresh') {
      return { status: 400, body: { error: 'invalid_request', error_description: 'The provided authorization grant or refresh token is invalid, expired or revoked.' } };
    }
    const access = world.tokens.issue({ network: 'linkedin', handle: checked.grant.handle, kind: 'access', scope: checked.grant.scope, ttlSeconds: ACCESS_TTL_SECONDS });
    const left = Math.max(0, Math.floor((checked.grant.expiresAt! - Date.now()) / 1000));
    return { status: 200, body: { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS, refresh_token: refresh, refresh_token_expires_in: left, scope: checked.grant.scope } };
  }
  return { status: 400, body: { error: 'unsupported_grant_type', error_description: `grant_type ${grantType} is not supported` } };
}

/**
 * `POST /oauth/v2/introspectToken`, as LinkedIn answers it: 400 for an
 * unknown client id or a token it never issued, 401 for a wrong client
 * secret; else 200 with `active`, `status` (active, expired or revoked),
 * and for a member token its `scope`, `client_id`, `auth_type` 3L and
 * `created_at`, `authorized_at`, `expires_at` in epoch seconds.
 */
function introspect(world: MockWorld, fields: Record<string, unknown>): Answer {
  const clientId = stringField(fields, 'client_id');
  if (clientId !== world.apps.clientId) return { status: 400, body: { error: 'invalid_request', error_description: 'The passed in client_id is invalid' } };
  if (!world.apps.isRegistered(clientId, stringField(fields, 'client_secret'))) return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
  const token = stringField(fields, 'token');
  if (!token) return { status: 400, body: { error: 'invalid_request', error_description: 'A required parameter "token" is missing' } };
  const checked = world.tokens.check(token, 'linkedin');
  if (checked.state === 'unknown') return { status: 400, body: { error: 'invalid_request', error_description: 'The token is invalid' } };
  const { grant } = checked;
  const status = checked.state === 'valid' ? 'active' : checked.state === 'expired' ? 'expired' : 'revoked';
  const seconds = (ms: number) => Math.floor(ms / 1000);
  return {
    status: 200,
    body: {
      active: status === 'active',
      client_id: clientId,
      authorized_at: seconds(grant.issuedAt),
      created_at: seconds(grant.issuedAt),
      status,
      ...(grant.expiresAt !== undefined ? { expires_at: seconds(grant.expiresAt) } : {}),
      scope: grant.scope,
      auth_type: '3L',
    },
  };
}

/** A 60-day access token, and a year's refresh token where LinkedIn grants one. */
export function issueLinkedIn(world: MockWorld, handle: string, scope: string): Record<string, unknown> {
  const accessToken = world.tokens.issue({ network: 'linkedin', handle, kind: 'access', scope, ttlSeconds: ACCESS_TTL_SECONDS });
  const refresh = world.config.linkedinRefresh ? world.tokens.issue({ network: 'linkedin', handle, kind: 'refresh', scope, ttlSeconds: REFRESH_TTL_SECONDS }) : undefined;
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TTL_SECONDS,
    scope,
    ...(refresh ? { refresh_token: refresh, refresh_token_expires_in: REFRESH_TTL_SECONDS } : {}),
  };
}
