/**
 * Facebook Login as the Instagram and Facebook origins serve it (Meta's
 * `graph.facebook.com`): the consent dialog (`/dialog/oauth`, also under a
 * Graph version), `/{version}/oauth/access_token` (a code for a short-lived
 * user token; `grant_type=fb_exchange_token` for a long-lived one), the
 * person (`/me`) and their Pages (`/me/accounts`: each Page with its own
 * Page token and its Instagram professional account).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { numericIdOf } from '../../accounts';
import { authorize } from '../../auth/authorize';
import { fieldsOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';
import { GRAPH_VERSIONS } from './versions';
import { MetaNetwork, metaFace } from './graph';
import { SHORT_TTL_SECONDS, issueMetaToken, longLivedFor, metaAuthorizeRules, metaClientProblem, metaCodeProblem } from './meta.oauth';

export const pageIdOf = (handle: string) => numericIdOf(handle, 'fbpage:');
export const igUserIdOf = (handle: string) => numericIdOf(handle, 'iguser:');
export const fbUserIdOf = (handle: string) => numericIdOf(handle, 'fbuser:');

export function registerFacebookLogin(app: FastifyInstance, world: MockWorld, network: 'instagram' | 'facebook'): void {
  const face = metaFace(world, network);
  const dialog = (request: FastifyRequest) => authorize(world, metaAuthorizeRules(world, network), queryOf(request));
  app.get('/dialog/oauth', (request, reply) => send(reply, dialog(request)));

  for (const version of GRAPH_VERSIONS) {
    app.get(`/${version}/dialog/oauth`, (request, reply) => send(reply, dialog(request)));

    const accessToken = (request: FastifyRequest) => {
      const params = { ...fieldsOf(request), ...queryOf(request) } as Record<string, unknown>;
      const grantType = stringField(params, 'grant_type') ?? 'authorization_code';
      const problem = metaClientProblem(world, stringField(params, 'client_id'), stringField(params, 'client_secret'));
      let answer = problem;
      if (!answer && grantType === 'fb_exchange_token') answer = longLivedFor(world, network, stringField(params, 'fb_exchange_token'));
      if (!answer && grantType === 'authorization_code') {
        const redeemed = world.codes.redeem(stringField(params, 'code'), {
          network,
          clientId: world.apps.clientId,
          redirectUri: stringField(params, 'redirect_uri'),
          verifier: undefined,
        });
        answer = redeemed.ok
          ? { status: 200, body: { access_token: issueMetaToken(world, network, redeemed.grant.handle, redeemed.grant.scope, SHORT_TTL_SECONDS), token_type: 'bearer', expires_in: SHORT_TTL_SECONDS } }
          : metaCodeProblem(redeemed.reason);
      }
      answer ??= { status: 400, body: { error: { message: `Unsupported grant_type ${grantType}`, type: 'OAuthException', code: 100 } } };
      world.tokenCalls.record(network, undefined, grantType, answer.status !== 200);
      return answer;
    };
    app.get(`/${version}/oauth/access_token`, (request, reply) => send(reply, accessToken(request)));
    app.post(`/${version}/oauth/access_token`, (request, reply) => send(reply, accessToken(request)));

    app.get(`/${version}/me`, (request, reply) =>
      world.gate.run(face, request, reply, (account) => ({ status: 200, body: { id: fbUserIdOf(account.handle), name: account.handle } })),
    );

    app.get(`/${version}/me/accounts`, (request, reply) =>
      world.gate.run(face, request, reply, (account) => ({
        status: 200,
        body: {
          data: [
            {
              id: pageIdOf(account.handle),
              name: world.profiles.of({ ...account, network: 'facebook' }).renamed ? world.profiles.of({ ...account, network: 'facebook' }).displayName : `${account.handle}'s Page`,
              picture: { data: { url: `${world.url(network)}${world.profiles.of({ ...account, network }).avatarPath}`, width: 64, height: 64, is_silhouette: false } },
              category: 'Brand',
              tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
              access_token: pageTokenFor(world, network, account.handle),
              instagram_business_account: { id: igUserIdOf(account.handle) },
            },
          ],
          paging: { cursors: { before: 'QVFIU', after: 'QVFIU' } },
        },
      })),
    );
  }
}

/** A Page token: it does not expire (got from a long-lived user token). */
export function pageTokenFor(world: MockWorld, network: MetaNetwork, handle: string): string {
  return world.tokens.issue({ network, handle, kind: 'page', scope: 'pages_manage_posts,pages_read_engagement', clientId: world.apps.clientId });
}

