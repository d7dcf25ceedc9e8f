/**
 * Threads' OAuth (threads.net's consent page, graph.threads.net's token
 * endpoints): `GET /oauth/authorize`; `POST /oauth/access_token` (a code for
 * a short-lived token and the user id); `GET /access_token?grant_type=th_exchange_token`
 * (long-lived, 60 days); `GET /refresh_access_token?grant_type=th_refresh_token`
 * (a new long-lived token; the old one works until it expires).
 */
import type { FastifyInstance } from 'fastify';
import { numericIdOf } from '../../accounts';
import { authorize } from '../../auth/authorize';
import { Answer, fieldsOf, queryOf, send, stringField } from '../../http/answer';
import { MockWorld } from '../../world';
import { graphError } from '../meta/graph';
import { SHORT_TTL_SECONDS, issueMetaToken, longLivedFor, metaAuthorizeRules, metaClientProblem, metaCodeProblem } from '../meta/meta.oauth';

export const threadsUserIdOf = (handle: string) => numericIdOf(handle, 'threads:');

export function registerThreadsOAuth(app: FastifyInstance, world: MockWorld): void {
  const record = (grantType: string, answer: Answer) => {
    world.tokenCalls.record('threads', undefined, grantType, answer.status !== 200);
    return answer;
  };

  app.get('/oauth/authorize', (request, reply) => send(reply, authorize(world, metaAuthorizeRules(world, 'threads'), queryOf(request))));

  app.post('/oauth/access_token', (request, reply) => {
    const params = { ...queryOf(request), ...fieldsOf(request) } as Record<string, unknown>;
    const grantType = stringField(params, 'grant_type') ?? 'authorization_code';
    let answer = metaClientProblem(world, stringField(params, 'client_id'), stringField(params, 'client_secret'));
    if (!answer && grantType !== 'authorization_code') answer = graphError(400, { message: `Unsupported grant_type ${grantType}`, code: 100 });
    if (!answer) {
      const redeemed = world.codes.redeem(stringField(params, 'code'), { network: 'threads', clientId: world.apps.clientId, redirectUri: stringField(params, 'redirect_uri'), verifier: undefined });
      answer = redeemed.ok
        ? {
            status: 200,
            body: { access_token: issueMetaToken(world, 'threads', redeemed.grant.handle, redeemed.grant.scope, SHORT_TTL_SECONDS), user_id: Number(threadsUserIdOf(redeemed.grant.handle)) },
          }
        : metaCodeProblem(redeemed.reason);
    }
    send(reply, record(grantType, answer));
  });

  app.get('/access_token', (request, reply) => {
    const query = queryOf(request);
    if (query.grant_type !== 'th_exchange_token') return send(reply, record(query.grant_type ?? '(none)', graphError(400, { message: 'grant_type must be th_exchange_token', code: 100 })));
    const problem = world.apps.isRegistered(world.apps.clientId, query.client_secret) ? undefined : graphError(400, { message: 'Error validating client secret.', code: 1 });
    send(reply, record('th_exchange_token', problem ?? longLivedFor(world, 'threads', query.access_token)));
  });

  app.get('/refresh_access_token', (request, reply) => {
    const query = queryOf(request);
    if (query.grant_type !== 'th_refresh_token') return send(reply, record(query.grant_type ?? '(none)', graphError(400, { message: 'grant_type must be th_refresh_token', code: 100 })));
    send(reply, record('th_refresh_token', longLivedFor(world, 'threads', query.access_token)));
  });
}
