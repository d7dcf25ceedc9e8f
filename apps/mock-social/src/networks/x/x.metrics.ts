/**
 * X's read of several posts: `GET /2/tweets?ids=` (1–100 ids, comma
 * separated), each post with the fields asked for (`public_metrics`:
 * `retweet_count`, `reply_count`, `like_count`, `quote_count`,
 * `bookmark_count`, `impression_count`, from the mock's metrics;
 * `non_public_metrics`: `impression_count`, `url_link_clicks`,
 * `user_profile_clicks`, only of the caller's own posts less than 30 days
 * old, else X's field authorization error for that post in `errors[]`); an
 * id X does not have comes back in `errors[]` as X answers it, not as a
 * failure.
 */
import type { FastifyInstance } from 'fastify';
import { queryOf } from '../../http/answer';
import { NetworkFace } from '../../gate';
import { MockWorld } from '../../world';
import { X_ERRORS } from './x.face';

const MAX_IDS = 100;
const PUBLIC = ['retweet_count', 'reply_count', 'like_count', 'quote_count', 'bookmark_count', 'impression_count'];
const NON_PUBLIC = ['impression_count', 'url_link_clicks', 'user_profile_clicks'];
/** X serves a post's non-public metrics to its author for 30 days after posting. */
const NON_PUBLIC_DAYS = 30;

const pick = (figures: Record<string, number>, names: string[]) => Object.fromEntries(names.map((name) => [name, figures[name] ?? 0]));

export function registerXMetrics(app: FastifyInstance, world: MockWorld, face: NetworkFace): void {
  app.get('/2/tweets', (request, reply) =>
    world.gate.run(face, request, reply, (account) => {
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
        const figures = world.metrics.of(post);
        const mayReadPrivate = post.handle === account.handle && Date.now() - Date.parse(post.createdAt) < NON_PUBLIC_DAYS * 86_400_000;
        if (fields.has('non_public_metrics') && !mayReadPrivate) {
          errors.push({ value: id, resource_id: id, resource_type: 'tweet', field: 'non_public_metrics', parameter: 'tweet.fields', section: 'data', title: 'Field Authorization Error', detail: `Sorry, you are not authorized to access 'non_public_metrics' on the Tweet with id: ${id}.`, type: 'https://api.twitter.com/2/problems/not-authorized-for-field' });
        }
        data.push({
          id: post.id,
          text: post.text,
          edit_history_tweet_ids: [post.id],
          ...(fields.has('public_metrics') ? { public_metrics: pick(figures, PUBLIC) } : {}),
          ...(fields.has('non_public_metrics') && mayReadPrivate ? { non_public_metrics: pick(figures, NON_PUBLIC) } : {}),
        });
      }
      return { status: 200, body: { ...(data.length > 0 ? { data } : {}), ...(errors.length > 0 ? { errors } : {}) } };
    }),
  );
}
