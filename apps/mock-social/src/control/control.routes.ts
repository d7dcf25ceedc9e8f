/**
 * The control surface at MOCK_SOCIAL_PORT, outside every network's origin:
 * health, where each network is served, what the networks accepted (posts,
 * replies and comments, each with its `kind` and `replyTo`), fault
 * rules, rate-limit budgets (the networks' defaults, scaled or lifted, and
 * test rules), posting quotas, tokens issued without a
 * consent flow, what the token endpoints were asked, the call log, and
 * the posts' metrics (`PUT /_mock/metrics {network, id, metrics}`), the
 * accounts' (`PUT /_mock/account-metrics {network, handle, metrics}`), and
 * posts seeded in bulk (`POST /_mock/posts/seed`).
 */
import type { FastifyInstance } from 'fastify';
import { FaultInput } from '../faults';
import { queryOf, send } from '../http/answer';
import { ORIGINS } from '../networks';
import { DEFAULT_QUOTA_TOTAL, QUOTA_DURATION_SECONDS, QuotaInput } from '../quotas';
import { RateLimitInput } from '../rate-limits';
import { MockWorld } from '../world';
import { faultProblems } from './fault-rules';
import { callQuery, quotaProblems, rateLimitProblems, scaleProblems } from './limit-rules';
import { seedPosts } from './seed-posts';
import { issueTestToken } from './test-tokens';

export function registerControl(app: FastifyInstance, world: MockWorld): void {
  app.get('/_mock/health', (_request, reply) => send(reply, { status: 200, body: { status: 'ok' } }));

  app.get('/_mock/networks', (_request, reply) => {
    const data = ORIGINS.filter((origin) => origin.network).map((origin) => {
      const baseUrl = world.url(origin.name);
      return {
        network: origin.network!,
        baseUrl,
        ...(origin.instance ? { instance: origin.instance, instanceUrl: baseUrl } : {}),
        ...(origin.network === 'bluesky' ? { plcUrl: world.url('plc') } : {}),
      };
    });
    send(reply, { status: 200, body: { data } });
  });

  app.get('/_mock/posts', (request, reply) => {
    const { network, handle, instanceUrl } = queryOf(request);
    send(reply, { status: 200, body: { data: world.store.list({ network, handle, instanceUrl }) } });
  });

  // Many posts on one account at once, as if published (the bench's posts whose metrics are read).
  app.post('/_mock/posts/seed', (request, reply) => send(reply, seedPosts(world, request.body)));

  app.delete('/_mock/posts', (_request, reply) => {
    world.store.clearPosts();
    send(reply, { status: 204 });
  });

  app.put('/_mock/faults', (request, reply) => {
    const problems = faultProblems(request.body);
    if (problems.length > 0) return send(reply, { status: 400, body: { error: 'invalid fault rule', problems } });
    send(reply, { status: 201, body: world.faults.add(request.body as FaultInput) });
  });

  app.get('/_mock/faults', (_request, reply) => send(reply, { status: 200, body: { data: world.faults.list() } }));

  app.delete('/_mock/faults', (_request, reply) => {
    world.faults.clear();
    send(reply, { status: 204 });
  });

  app.put('/_mock/metrics', (request, reply) => {
    const kept = world.metrics.put(request.body);
    if ('problems' in kept) return send(reply, { status: 400, body: { error: 'invalid metrics', problems: kept.problems } });
    send(reply, { status: 200, body: kept });
  });

  app.delete('/_mock/metrics', (_request, reply) => {
    world.metrics.clear();
    send(reply, { status: 204 });
  });

  app.put('/_mock/account-metrics', (request, reply) => {
    const kept = world.accountMetrics.put(request.body);
    if ('problems' in kept) return send(reply, { status: 400, body: { error: 'invalid account metrics', problems: kept.problems } });
    send(reply, { status: 200, body: kept });
  });

  app.delete('/_mock/account-metrics', (_request, reply) => {
    world.accountMetrics.clear();
    send(reply, { status: 204 });
  });

  app.put('/_mock/ratelimits', (request, reply) => {
    const problems = rateLimitProblems(request.body);
    if (problems.length > 0) return send(reply, { status: 400, body: { error: 'invalid rate-limit rule', problems } });
    send(reply, { status: 201, body: world.rateLimits.set(request.body as RateLimitInput) });
  });

  app.get('/_mock/ratelimits', (_request, reply) => send(reply, { status: 200, body: { data: world.rateLimits.list() } }));

  // The networks' documented budgets every account has unless a rule names it; `{scale}` changes them (0 lifts them).
  app.get('/_mock/ratelimits/defaults', (_request, reply) => send(reply, { status: 200, body: world.rateLimits.defaults() }));

  app.put('/_mock/ratelimits/defaults', (request, reply) => {
    const problems = scaleProblems(request.body);
    if (problems.length > 0) return send(reply, { status: 400, body: { error: 'invalid rate-limit defaults', problems } });
    world.rateLimits.setScale((request.body as { scale: number }).scale);
    send(reply, { status: 200, body: world.rateLimits.defaults() });
  });

  app.delete('/_mock/ratelimits', (_request, reply) => {
    world.rateLimits.clear();
    send(reply, { status: 204 });
  });

  app.put('/_mock/quotas', (request, reply) => {
    const problems = quotaProblems(request.body);
    if (problems.length > 0) return send(reply, { status: 400, body: { error: 'invalid quota rule', problems } });
    send(reply, { status: 201, body: world.quotas.set(request.body as QuotaInput) });
  });

  app.get('/_mock/quotas', (_request, reply) =>
    send(reply, { status: 200, body: { data: world.quotas.list(), defaults: DEFAULT_QUOTA_TOTAL, quotaDurationSeconds: QUOTA_DURATION_SECONDS } }),
  );

  app.delete('/_mock/quotas', (_request, reply) => {
    world.quotas.clear();
    send(reply, { status: 204 });
  });

  app.get('/_mock/calls', (request, reply) => {
    const query = queryOf(request);
    const { problems, sinceMs } = callQuery(query);
    if (problems.length > 0) return send(reply, { status: 400, body: { error: 'invalid call-log query', problems } });
    const { network, instance, handle, path } = query;
    send(reply, { status: 200, body: world.calls.query({ network, instance, handle, path, sinceMs }) });
  });

  app.delete('/_mock/calls', (_request, reply) => {
    world.calls.clear();
    send(reply, { status: 204 });
  });

  app.post('/_mock/tokens', (request, reply) => send(reply, issueTestToken(world, request.body)));

  app.get('/_mock/oauth', (request, reply) => send(reply, { status: 200, body: { data: world.tokenCalls.list(queryOf(request).network) } }));

  app.delete('/_mock/oauth', (_request, reply) => {
    world.tokenCalls.clear();
    send(reply, { status: 204 });
  });
}
