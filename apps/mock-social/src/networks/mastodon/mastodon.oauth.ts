/**
 * A Mastodon instance's apps and OAuth (Doorkeeper): `POST /api/v1/apps`
 * registers an app on this instance only; `GET /oauth/authorize` takes a
 * redirect URI the app registered and scopes within the app's, with PKCE
 * (S256) when a challenge is given; `POST /oauth/token` (client secret in
 * the body or by Basic auth) answers a token that does not expire;
 * `POST /oauth/revoke`; discovery at `/.well-known/oauth-authorization-server`.
 */
import type { FastifyInstance } from 'fastify';
import { CODE_PROBLEMS } from '../../auth/authorization-codes';
import { authorize } from '../../auth/authorize';
import { basicCredentials } from '../../auth/oauth-apps';
import { Answer, fieldsOf, headerOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';
import { MastodonInstance } from './mastodon.face';

const SCOPES = /^(read|write|follow|push|profile|(read|write):[a-z_]+|admin:(read|write)(:[a-z_]+)?)$/;
const INVALID_CLIENT = {
  status: 401,
  body: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' },
};

export function registerMastodonOAuth(app: FastifyInstance, world: MockWorld, instance: MastodonInstance): void {
  app.post('/api/v1/apps', (request, reply) => {
    const fields = fieldsOf(request);
    const name = stringField(fields, 'client_name')?.trim();
    const raw = fields.redirect_uris;
    const redirectUris = (Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s]+/) : []).filter(Boolean);
    const scopes = (stringField(fields, 'scopes') ?? 'read').split(/\s+/).filter(Boolean);
    const problem = !name
      ? "Application name can't be blank"
      : redirectUris.length === 0
        ? "Redirect URI can't be blank"
        : redirectUris.some((uri) => uri !== 'urn:ietf:wg:oauth:2.0:oob' && !isAbsolute(uri))
          ? 'Redirect URI must be an absolute URI.'
          : scopes.some((scope) => !SCOPES.test(scope))
            ? 'Scopes are invalid'
            : undefined;
    if (problem) return send(reply, { status: 422, body: { error: `Validation failed: ${problem}` } });
    const website = stringField(fields, 'website') ?? null;
    const registered = world.apps.registerMastodon(instance.url, { name: name!, website, redirectUris, scopes });
    send(reply, {
      status: 200,
      body: {
        id: registered.id,
        name: registered.name,
        website: registered.website,
        scopes: registered.scopes,
        redirect_uri: registered.redirectUris.join('\n'),
        redirect_uris: registered.redirectUris,
        vapid_key: registered.vapidKey,
        client_id: registered.clientId,
        client_secret: registered.clientSecret,
        client_secret_expires_at: 0,
      },
    });
  });

  app.get('/oauth/authorize', (request, reply) => {
    const query = queryOf(request);
    const registered = world.apps.mastodonApp(instance.url, query.client_id);
    send(
      reply,
      authorize(
        world,
        {
          network: 'mastodon',
          instanceUrl: instance.url,
          instance: instance.name,
          pkce: 'optional',
          checkClient: (_clientId, redirectUri) =>
            !registered
              ? INVALID_CLIENT
              : !redirectUri || !registered.redirectUris.includes(redirectUri) || redirectUri === 'urn:ietf:wg:oauth:2.0:oob'
                ? { status: 400, body: { error: 'invalid_redirect_uri', error_description: "The requested redirect uri is malformed or doesn't match client redirect URI." } }
                : undefined,
          checkScope: (scope) => {
            const asked = (scope ?? 'read').split(/[\s+]+/).filter(Boolean);
            const allowed = (item: string) => registered!.scopes.includes(item) || registered!.scopes.includes(item.split(':')[0]!);
            return asked.every(allowed) ? { scope: asked.join(' ') } : { error: 'The requested scope is invalid, unknown, or malformed.' };
          },
        },
        query,
      ),
    );
  });

  app.post('/oauth/token', (request, reply) => {
    const fields = fieldsOf(request);
    const grantType = stringField(fields, 'grant_type') ?? '';
    const answer = token(world, instance, headerOf(request, 'authorization'), fields, grantType);
    world.tokenCalls.record('mastodon', instance.url, grantType || '(none)', answer.status !== 200);
    send(reply, answer);
  });

  app.post('/oauth/revoke', (request, reply) => {
    const fields = fieldsOf(request);
    const client = clientOf(headerOf(request, 'authorization'), fields);
    if (!world.apps.mastodonApp(instance.url, client.clientId) || world.apps.mastodonApp(instance.url, client.clientId)?.clientSecret !== client.clientSecret) {
      return send(reply, { status: 403, body: { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' } });
    }
    const value = stringField(fields, 'token');
    if (value && world.tokens.check(value, 'mastodon', instance.url).state !== 'unknown') world.tokens.revoke(value);
    send(reply, { status: 200, body: {} });
  });

  app.get('/.well-known/oauth-authorization-server', (_request, reply) => {
    send(reply, {
      status: 200,
      body: {
        issuer: `${instance.url}/`,
        service_documentation: 'https://docs.joinmastodon.org/',
        authorization_endpoint: `${instance.url}/oauth/authorize`,
        token_endpoint: `${instance.url}/oauth/token`,
        revocation_endpoint: `${instance.url}/oauth/revoke`,
        app_registration_endpoint: `${instance.url}/api/v1/apps`,
        scopes_supported: ['read', 'write', 'write:media', 'write:statuses', 'read:accounts', 'read:statuses', 'follow', 'push', 'profile'],
        response_types_supported: ['code'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code', 'client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      },
    });
  });
}

function token(world: MockWorld, instance: MastodonInstance, authorization: string | undefined, fields: Record<string, unknown>, grantType: string): Answer {
  const client = clientOf(authorization, fields);
  const registered = world.apps.mastodonApp(instance.url, client.clientId);
  if (!registered || registered.clientSecret !== client.clientSecret) return INVALID_CLIENT;
  if (grantType !== 'authorization_code') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
  const redeemed = world.codes.redeem(stringField(fields, 'code'), {
    network: 'mastodon',
    instanceUrl: instance.url,
    clientId: registered.clientId,
    redirectUri: stringField(fields, 'redirect_uri'),
    verifier: stringField(fields, 'code_verifier'),
  });
  if (!redeemed.ok) return { status: 400, body: { error: 'invalid_grant', error_description: CODE_PROBLEMS[redeemed.reason] } };
  const { handle, scope } = redeemed.grant;
  const accessToken = world.tokens.issue({ network: 'mastodon', instanceUrl: instance.url, handle, kind: 'access', scope, clientId: registered.clientId });
  return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', scope, created_at: Math.floor(Date.now() / 1000) } };
}

function clientOf(authorization: string | undefined, fields: Record<string, unknown>): { clientId?: string; clientSecret?: string } {
  return basicCredentials(authorization) ?? { clientId: stringField(fields, 'client_id'), clientSecret: stringField(fields, 'client_secret') };
}

function isAbsolute(uri: string): boolean {
  try {
    return new URL(uri).protocol.length > 1;
  } catch {
    return false;
  }
}
