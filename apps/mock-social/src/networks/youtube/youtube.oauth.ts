/**
 * Google's OAuth 2.0 as YouTube's channels connect with it: `GET
 * /o/oauth2/v2/auth` (consent; PKCE when a challenge is sent; YouTube's
 * scopes), `POST /token` with the app in the body (`client_secret_post`):
 * one-hour access tokens, and a refresh token only when `access_type=offline`
 * was asked (not rotated; a refresh answers none). Business Profile's origin
 * runs the same flow with its own scope (`business.manage`).
 */
import type { FastifyInstance } from 'fastify';
import { CODE_PROBLEMS } from '../../auth/authorization-codes';
import { authorize, isHttpUri } from '../../auth/authorize';
import { Answer, fieldsOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';

const ACCESS_TTL_SECONDS = 3599;
const REFRESH_TTL_SECONDS = 180 * 86_400;
const YOUTUBE_SCOPES = new Set([
  'https://www.googleapis.com/auth/youtube',
  'https://www.googleapis.com/auth/youtube.upload',
  'https://www.googleapis.com/auth/youtube.readonly',
  'https://www.googleapis.com/auth/youtube.force-ssl',
  'openid',
  'email',
  'profile',
]);

/** The codes whose consent asked for offline access (a refresh token comes with them). */
const offline = new WeakMap<MockWorld, Set<string>>();

/** Google's OAuth at one network's origin: `network` names its tokens, `scopes` are those its consent grants. */
export function registerGoogleOAuth(app: FastifyInstance, world: MockWorld, network = 'youtube', scopes: ReadonlySet<string> = YOUTUBE_SCOPES): void {
  const offlineCodes = offline.get(world) ?? new Set<string>();
  offline.set(world, offlineCodes);
  app.get('/o/oauth2/v2/auth', (request, reply) => {
    const query = queryOf(request);
    const answer = authorize(
      world,
      {
        network,
        pkce: 'optional',
        checkClient: (clientId, redirectUri) =>
          clientId !== world.apps.clientId
            ? { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } }
            : !isHttpUri(redirectUri)
              ? { status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Invalid redirect_uri' } }
              : undefined,
        checkScope: (scope) => {
          const asked = (scope ?? '').split(' ').filter(Boolean);
          if (asked.length === 0) return { error: 'Missing required parameter: scope' };
          const unknown = asked.find((item) => !scopes.has(item));
          return unknown ? { error: `Some requested scopes were invalid: ${unknown}` } : { scope: asked.join(' ') };
        },
      },
      query,
    );
    const location = answer.headers?.location;
    if (query.access_type === 'offline' && location) {
      const code = new URL(location).searchParams.get('code');
      if (code) offlineCodes.add(code);
    }
    send(reply, answer);
  });

  app.post('/token', (request, reply) => {
    const fields = fieldsOf(request);
    const grantType = stringField(fields, 'grant_type') ?? '';
    const answer = token(world, network, fields, grantType, offlineCodes);
    world.tokenCalls.record(network, undefined, grantType || '(none)', answer.status !== 200);
    send(reply, answer);
  });
}

function token(world: MockWorld, network: string, fields: Record<string, unknown>, grantType: string, offlineCodes: Set<string>): Answer {
  const clientId = stringField(fields, 'client_id');
  if (!world.apps.isRegistered(clientId, stringField(fields, 'client_secret'))) return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
  if (grantType === 'authorization_code') {
    const code = stringField(fields, 'code');
    const redeemed = world.codes.redeem(code, { network, clientId: clientId!, redirectUri: stringField(fields, 'redirect_uri'), verifier: fields.code_verifier });
    if (!redeemed.ok) return { status: 400, body: { error: 'invalid_grant', error_description: CODE_PROBLEMS[redeemed.reason] } };
    const withRefresh = code !== undefined && offlineCodes.delete(code);
    const { handle, scope } = redeemed.grant;
    return {
      status: 200,
      body: {
        access_token: world.tokens.issue({ network, handle, kind: 'access', scope, ttlSeconds: ACCESS_TTL_SECONDS }),
        expires_in: ACCESS_TTL_SECONDS,
        ...(withRefresh ? { refresh_token: world.tokens.issue({ network, handle, kind: 'refresh', scope, ttlSeconds: REFRESH_TTL_SECONDS }) } : {}),
        scope,
        token_type: 'Bearer',
      },
    };
  }
  if (grantType === 'refresh_token') {
    const checked = world.tokens.check(stringField(fields, 'refresh_token'), network);
    if (checked.state !== 'valid' || checked.grant.kind !== 'refresh') return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
    const access = world.tokens.issue({ network, handle: checked.grant.handle, kind: 'access', scope: checked.grant.scope, ttlSeconds: ACCESS_TTL_SECONDS });
    return { status: 200, body: { access_token: access, expires_in: ACCESS_TTL_SECONDS, scope: checked.grant.scope, token_type: 'Bearer' } };
  }
  return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType}` } };
}
