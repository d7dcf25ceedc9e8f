/**
 * Meta's insights of one post (Instagram media, a Threads post, a Facebook
 * Page post): `GET /{version}/{id}/insights?metric=a,b`, each metric asked
 * for as `{name, period: "lifetime", values: [{value}], title, id}` (the
 * mock's metrics); a metric the network does not have is Graph error 100;
 * an id not the account's is "Object does not exist" (100/33).
 */
import type { FastifyInstance } from 'fastify';
import { NetworkFace } from '../../gate';
import { queryOf } from '../../http/answer';
import { METRIC_FIELDS } from '../../post-metrics';
import { MockWorld } from '../../world';
import { graphError, unknownObject } from './graph';

export function registerInsights(app: FastifyInstance, world: MockWorld, face: NetworkFace, network: 'instagram' | 'threads' | 'facebook', versions: readonly string[]): void {
  for (const version of versions) {
    app.get<{ Params: { id: string } }>(`/${version}/:id/insights`, (request, reply) =>
      world.gate.run(face, request, reply, (account) => {
        const { id } = request.params;
        const post = world.store.find(id);
        if (!post || post.network !== network || post.kind !== 'post' || post.handle !== account.handle) return unknownObject(id, 'GET');
        const asked = (queryOf(request).metric ?? '').split(',').filter(Boolean);
        const unknown = asked.find((name) => !METRIC_FIELDS[network].includes(name));
        if (asked.length === 0 || unknown) return graphError(400, { message: `(#100) metric[${asked.indexOf(unknown ?? '')}] must be one of the following values: ${METRIC_FIELDS[network].join(', ')}`, code: 100 });
        const figures = world.metrics.of(post);
        return {
          status: 200,
          body: { data: asked.map((name) => ({ name, period: 'lifetime', values: [{ value: figures[name] }], title: name, id: `${id}/insights/${name}/lifetime` })) },
        };
      }),
    );
  }
}
