/**
 * X API v2: `POST /2/tweets` (201) with its media (see x.media.ts for the
 * uploads) and as a reply (`reply.in_reply_to_tweet_id`; a post X does not
 * have is refused with X's 403), `GET /2/users/me`, and a user's posts as X
 * pages them (`GET /2/users/:id/tweets`: newest first, replies included
 * unless `exclude=replies`, `max_results` 5–100, `start_time`/`end_time`,
 * `pagination_token`, fields only when asked for, and the posts' media in
 * `includes` with `expansions=attachments.media_keys`); `DELETE /2/tweets/:id`
 * of the user's own post answers `{data: {deleted: true}}`.
 */
import type { FastifyInstance } from 'fastify';
import { numericIdOf } from '../../accounts';
import { refusalsOf } from '../../content-rules';
import { Answer, fieldsOf, queryOf } from '../../http/answer';
import { MockPost, MockStore } from '../../store';
import { decodeCursor, encodeCursor } from '../../timeline-paging';
import { MockWorld } from '../../world';
import { X_ERRORS, X_FORBIDDEN, X_TOO_LONG, xFace, xInvalidRequest } from './x.face';
import { attachableXMedia, registerXMedia } from './x.media';
import { registerXMetrics } from './x.metrics';
import { registerXOAuth } from './x.oauth';
import { xUser } from './x.profile';

export function registerX(app: FastifyInstance, world: MockWorld): void {
  const face = xFace(world);
  const { gate, store } = world;
  registerXOAuth(app, world);

  registerXMedia(app, world, face);
  registerXMetrics(app, world, face);

  app.post('/2/tweets', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (account.scope !== undefined && !account.scope.split(' ').includes('tweet.write')) return X_FORBIDDEN;
      const body = fieldsOf(request) as { text?: unknown; media?: { media_ids?: unknown }; reply?: unknown };
      const text = typeof body.text === 'string' ? body.text : '';
      const replyTo = replyOf(body.reply);
      if (replyTo && 'refusal' in replyTo) return replyTo.refusal;
      if (replyTo && store.find(replyTo.id)?.network !== 'x') return X_REPLY_NOT_VISIBLE;
      const ids = Array.isArray(body.media?.media_ids) ? (body.media!.media_ids as unknown[]).map(String) : [];
      const attached = attachableXMedia(world, account, ids);
      if ('refusal' in attached) return attached.refusal;
      const refusals = refusalsOf('x', text, attached.media);
      if (refusals.length > 0) {
        return xInvalidRequest(
          refusals.map((refusal): { parameters: Record<string, string[]>; message: string } =>
            refusal.kind === 'too_long' || refusal.kind === 'text_required'
              ? { parameters: { text: [text] }, message: refusal.kind === 'too_long' ? X_TOO_LONG : refusal.message }
              : { parameters: { 'media.media_ids': ids }, message: refusal.message },
          ),
        );
      }
      const post = store.accept(account, text, attached.media, { record: attached.keys, ...(replyTo ? { replyTo: { kind: 'reply', id: replyTo.id } } : {}) });
      return { status: 201, body: { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } } };
    }),
  );

  app.delete<{ Params: { id: string } }>('/2/tweets/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (account.scope !== undefined && !account.scope.split(' ').includes('tweet.write')) return X_FORBIDDEN;
      const post = store.find(request.params.id);
      if (!post || post.network !== 'x') return { status: 404, body: X_ERRORS.body(404, 'not_found', `Could not find tweet with id: [${request.params.id}].`) };
      if (post.handle !== account.handle) return { status: 403, body: { ...X_FORBIDDEN.body, detail: 'You are not allowed to delete this Tweet.' } };
      store.remove(post.id);
      return { status: 200, body: { data: { deleted: true } } };
    }),
  );

  app.get('/2/users/me', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: { data: xUser(world, account, queryOf(request)['user.fields']) },
    })),
  );

  app.get<{ Params: { id: string } }>('/2/tweets/:id', (request, reply) =>
    gate.run(face, request, reply, () => {
      const post = store.find(request.params.id);
      const query = queryOf(request);
      const fields = fieldsAsked(query);
      if (post && post.network === 'x') return { status: 200, body: { data: toTweet(store, post, fields), ...includesOf([post], query) } };
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
      const excluded = new Set((query.exclude ?? '').split(','));
      const page = store.timeline(account, { limit: max, beforePosition, sinceMs, untilMs, ...(excluded.has('replies') ? { only: (post: MockPost) => post.kind === 'post' } : {}) });
      const fields = fieldsAsked(query);
      return {
        status: 200,
        body: {
          ...(page.posts.length > 0 ? { data: page.posts.map((post) => toTweet(store, post, fields)), ...includesOf(page.posts, query) } : {}),
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

/** The post fields asked for: `tweet.fields`, or `post.fields` as X's own SDK names them; `expansions=attachments.media_keys` brings `attachments` too. */
function fieldsAsked(query: Record<string, string | undefined>): Set<string> {
  const fields = new Set([...(query['tweet.fields'] ?? '').split(','), ...(query['post.fields'] ?? '').split(',')]);
  if (expansionsOf(query).has('attachments.media_keys')) fields.add('attachments');
  return fields;
}

function expansionsOf(query: Record<string, string | undefined>): Set<string> {
  return new Set((query.expansions ?? '').split(',').map((item) => item.trim()));
}

const MEDIA_TYPES: Record<string, string> = { '3': 'photo', '16': 'animated_gif', '7': 'video' };

/**
 * X's `includes` for these posts: with `expansions=attachments.media_keys`,
 * each attached medium once (`media_key`, `type`, and the `media.fields`
 * asked for: `alt_text` when it has one, `width`, `height`, `duration_ms`);
 * nothing when no post has media.
 */
function includesOf(posts: MockPost[], query: Record<string, string | undefined>): { includes?: { media: Record<string, unknown>[] } } {
  if (!expansionsOf(query).has('attachments.media_keys')) return {};
  const asked = new Set((query['media.fields'] ?? '').split(',').map((item) => item.trim()));
  const media = posts.flatMap((post) =>
    ((post.record as string[] | undefined) ?? []).map((key, index) => {
      const facts = post.media[index];
      const type = MEDIA_TYPES[key.split('_')[0]!] ?? 'photo';
      return {
        media_key: key,
        type,
        ...(asked.has('alt_text') && facts?.alt ? { alt_text: facts.alt } : {}),
        ...(asked.has('width') && facts?.width !== undefined ? { width: facts.width } : {}),
        ...(asked.has('height') && facts?.height !== undefined ? { height: facts.height } : {}),
        ...(asked.has('duration_ms') && type === 'video' && facts?.durationMs !== undefined ? { duration_ms: facts.durationMs } : {}),
      };
    }),
  );
  return media.length > 0 ? { includes: { media } } : {};
}

/** X's answer to a reply whose parent it does not have (deleted, or never there): 403, as X API v2 answers it. */
const X_REPLY_NOT_VISIBLE = {
  status: 403,
  body: { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', title: 'Forbidden', status: 403 },
};

/** The parent named by `reply.in_reply_to_tweet_id` (a post id: digits), undefined when there is no `reply`, or X's 400 for a malformed one. */
function replyOf(reply: unknown): { id: string } | { refusal: Answer } | undefined {
  if (reply === undefined) return undefined;
  const id = (reply as { in_reply_to_tweet_id?: unknown } | null)?.in_reply_to_tweet_id;
  if (typeof id === 'string' && /^\d{1,32}$/.test(id)) return { id };
  const problem = `The \`reply.in_reply_to_tweet_id\` field value [${String(id)}] is not valid`;
  return { refusal: xInvalidRequest([{ parameters: { 'reply.in_reply_to_tweet_id': [String(id)] }, message: problem }]) };
}

/** A post as X lists it: `id`, `text` and `edit_history_tweet_ids` always, other fields when `tweet.fields` names them (a reply's parent and conversation among them). */
function toTweet(store: MockStore, post: MockPost, fields: Set<string>) {
  const parent = post.replyTo ? store.find(post.replyTo) : undefined;
  return {
    id: post.id,
    text: post.text,
    edit_history_tweet_ids: [post.id],
    ...(fields.has('created_at') ? { created_at: post.createdAt } : {}),
    ...(fields.has('conversation_id') ? { conversation_id: store.threadRootOf(post).id } : {}),
    ...(fields.has('in_reply_to_user_id') && parent ? { in_reply_to_user_id: numericIdOf(parent.handle) } : {}),
    ...(fields.has('referenced_tweets') && post.replyTo ? { referenced_tweets: [{ type: 'replied_to', id: post.replyTo }] } : {}),
    ...(fields.has('attachments') && post.media.length > 0 ? { attachments: { media_keys: post.record as string[] } } : {}),
  };
}
