/**
 * X's read of several posts: `GET /2/tweets?ids=` (1–100 ids, comma
 * separated), each post with the fields asked for (`public_metrics`:
 * `retweet_count`, `reply_count`, `like_count`, `quote_count`,
 * `bookmark_count`, `impression_count`, from the mock's metrics); an id X
 * does not have comes back in `errors[]` as X answers it, not as a failure.
 */
import type { FastifyInstance } from 'fastify';
import { queryOf } from '../../http/answer';
import { NetworkFace } from '../../gate';
import { MockWorld } from '../../world';
import { X_ERRORS } from './x.face';

const MAX_IDS = 100;

export function registerXMetrics(app: FastifyInstance, world: MockWorld, face: NetworkFace): void {
  app.get('/2/tweets', (request, reply) =>
    world.gate.run(face, request, reply, () => {
      const query = queryOf(request);
      const ids = (query.ids ?? '').split(',').filter(Boolean);
      if (ids.length < 1 || ids.length > MAX_IDS) {
        return { status: 400, body: X_ERRORS.body(400, 'invalid', `The \`ids\` query parameter value [${query.ids ?? ''}] does not hold 1 to ${MAX_IDS} ids`) };
      }
      const fields = new Set((query['tweet.fields'] ?? '').split(','));
      const data: unknown[] = [];
      const errors: unknown[] = [];
      for (const id of ids) {
        const post = world.store.find(id);
        if (!post || post.network !== 'x') {
          errors.push({ value: id, detail: `Could not find tweet with id: [${id}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'ids', resource_id: id, type: 'https://api.twitter.com/2/problems/resource-not-found' });
          continue;
        }
        data.push({ id: post.id, text: post.text, edit_history_tweet_ids: [post.id], ...(fields.has('public_metrics') ? { public_metrics: world.metrics.of(post) } : {}) });
      }
      return { status: 200, body: { ...(data.length > 0 ? { data } : {}), ...(errors.length > 0 ? { errors } : {}) } };
    }),
  );
}
