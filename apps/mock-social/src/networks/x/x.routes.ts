/**
 * X API v2: `POST /2/tweets` (201) with its media (see x.media.ts for the
 * uploads), `GET /2/users/me`, and a user's posts as X
 * pages them (`GET /2/users/:id/tweets`: newest first, `max_results` 5–100,
 * `start_time`/`end_time`, `pagination_token`, fields only when asked for).
 */
import type { FastifyInstance } from 'fastify';
import { numericIdOf } from '../../accounts';
import { checkContent } from '../../gate';
import { fieldsOf, queryOf } from '../../http/answer';
import { MockPost } from '../../store';
import { decodeCursor, encodeCursor } from '../../timeline-paging';
import { MockWorld } from '../../world';
import { X_ERRORS, X_FORBIDDEN, xFace } from './x.face';
import { attachableXMedia, registerXMedia } from './x.media';
import { registerXOAuth } from './x.oauth';

export function registerX(app: FastifyInstance, world: MockWorld): void {
  const face = xFace(world);
  const { gate, store } = world;
  registerXOAuth(app, world);

  registerXMedia(app, world, face);

  app.post('/2/tweets', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (account.scope !== undefined && !account.scope.split(' ').includes('tweet.write')) return X_FORBIDDEN;
      const body = fieldsOf(request) as { text?: unknown; media?: { media_ids?: unknown } };
      const text = typeof body.text === 'string' ? body.text : '';
      const ids = Array.isArray(body.media?.media_ids) ? (body.media!.media_ids as unknown[]).map(String) : [];
      const attached = attachableXMedia(world, account, ids);
      if ('refusal' in attached) return attached.refusal;
      checkContent('x', text, attached.media);
      const post = store.accept(account, text, attached.media, { record: attached.keys });
      return { status: 201, body: { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } } };
    }),
  );

  app.get('/2/users/me', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: { data: { id: numericIdOf(account.handle), name: account.handle, username: account.handle } },
    })),
  );

  app.get<{ Params: { id: string } }>('/2/tweets/:id', (request, reply) =>
    gate.run(face, request, reply, () => {
      const post = store.find(request.params.id);
      const fields = new Set((queryOf(request)['tweet.fields'] ?? '').split(','));
      if (post && post.network === 'x') return { status: 200, body: { data: toTweet(post, fields) } };
      // X answers a post it cannot find with 200 and an errors array.
      const id = request.params.id;
      return {
        status: 200,
        body: {
          errors: [
            { value: id, detail: `Could not find tweet with id: [${id}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'id', resource_id: id, type: 'https://api.twitter.com/2/problems/resource-not-found' },
          ],
        },
      };
    }),
  );

  app.get<{ Params: { id: string } }>('/2/users/:id/tweets', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const query = queryOf(request);
      if (request.params.id !== numericIdOf(account.handle)) return { status: 404, body: X_ERRORS.body(404, 'not_found', `Could not find user with id: [${request.params.id}].`) };
      const max = query.max_results === undefined ? 10 : Number(query.max_results);
      if (!Number.isInteger(max) || max < 5 || max > 100) {
        return { status: 400, body: X_ERRORS.body(400, 'invalid', `The \`max_results\` query parameter value [${query.max_results}] is not between 5 and 100`) };
      }
      const sinceMs = query.start_time ? Date.parse(query.start_time) : undefined;
      const untilMs = query.end_time ? Date.parse(query.end_time) : undefined;
      if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) return { status: 400, body: X_ERRORS.body(400, 'invalid', 'Invalid start_time or end_time') };
      const beforePosition = query.pagination_token ? decodeCursor(query.pagination_token) : undefined;
      if (query.pagination_token && beforePosition === undefined) return { status: 400, body: X_ERRORS.body(400, 'invalid', 'Invalid pagination_token') };
      const page = store.timeline(account, { limit: max, beforePosition, sinceMs, untilMs });
      const fields = new Set((query['tweet.fields'] ?? '').split(','));
      return {
        status: 200,
        body: {
          ...(page.posts.length > 0 ? { data: page.posts.map((post) => toTweet(post, fields)) } : {}),
          meta: {
            result_count: page.posts.length,
            ...(page.posts.length > 0 ? { newest_id: page.posts[0]!.id, oldest_id: page.posts[page.posts.length - 1]!.id } : {}),
            ...(page.nextBefore !== undefined ? { next_token: encodeCursor(page.nextBefore) } : {}),
          },
        },
      };
    }),
  );
}

/** A post as X lists it: `id`, `text` and `edit_history_tweet_ids` always, other fields when `tweet.fields` names them. */
function toTweet(post: MockPost, fields: Set<string>) {
  return {
    id: post.id,
    text: post.text,
    edit_history_tweet_ids: [post.id],
    ...(fields.has('created_at') ? { created_at: post.createdAt } : {}),
    ...(fields.has('attachments') && post.media.length > 0 ? { attachments: { media_keys: post.record as string[] } } : {}),
  };
}
