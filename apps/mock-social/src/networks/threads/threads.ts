/**
 * Threads' Graph API (graph.threads.net) at its own origin: the user
 * (`/v1.0/me?fields=id,username`), a container (`POST /v1.0/{user-id}/threads`,
 * with media fetched from its URL, carousels by `children`; see
 * meta/containers.ts; a reply's container names the post or reply it
 * answers by `reply_to_id`), then its publication (`/threads_publish?creation_id=`),
 * a container's status (`GET /v1.0/{container-id}?fields=status`), the user's
 * followers (`/threads_insights?metric=followers_count`), the user's
 * threads (`/threads`: posts) and replies (`/replies`) paged as the Graph API
 * pages, and the publishing quota
 * (`threads_publishing_limit`; `threads_publish` refused past it, see
 * quotas.ts), and deleting one's own post or reply (`DELETE /v1.0/{id}`,
 * `threads_delete`). Faults apply to the publish step, the status and lookups.
 */
import { registerInsights } from '../meta/insights';
import type { FastifyInstance } from 'fastify';
import { Principal } from '../../gate';
import { Answer, fieldsOf, queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { MockPost } from '../../store';
import { ContainerRequest, THREADS_MEDIA, containerStatus, createContainer, invalidParameter, isRepliable, publishContainer, replyTargetGone } from '../meta/containers';
import { graphError, graphPage, metaFace, publishingLimit, unknownObject } from '../meta/graph';
import { registerThreadsOAuth, threadsUserIdOf } from './threads.oauth';

/** The user, with the fields asked for (`id,username` when none are): `name`, `threads_profile_picture_url`. */
function threadsUser(world: MockWorld, account: Principal, fields: string | undefined): Record<string, string> {
  const shown = world.profiles.of(account);
  const asked = new Set((fields ?? 'id,username').split(',').map((field) => field.trim()));
  const all: Record<string, string> = { id: threadsUserIdOf(account.handle), username: shown.handle, name: shown.displayName, threads_profile_picture_url: `${world.url('threads')}${shown.avatarPath}` };
  return Object.fromEntries(Object.entries(all).filter(([name]) => name === 'id' || asked.has(name)));
}

export function registerThreads(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'threads');
  const { gate } = world;
  registerThreadsOAuth(app, world);
  registerInsights(app, world, face, 'threads', ['v1.0']);
  const isSelf = (account: Principal, id: string) => id === 'me' || id === threadsUserIdOf(account.handle);

  app.get<{ Params: { id: string } }>('/v1.0/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { id } = request.params;
      if (isSelf(account, id)) return { status: 200, body: threadsUser(world, account, queryOf(request).fields) };
      return containerStatus(world, 'threads', account, id, 'status') ?? unknownObject(id, 'GET');
    }),
  );

  // The user's insights: `followers_count` alone here (a total, no period), as Threads answers it; another metric is Graph error 100.
  app.get<{ Params: { id: string } }>('/v1.0/:id/threads_insights', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { id } = request.params;
      if (!isSelf(account, id)) return unknownObject(id, 'GET');
      const asked = (queryOf(request).metric ?? '').split(',').filter(Boolean);
      if (asked.length === 0 || asked.some((name) => name !== 'followers_count')) return graphError(400, { message: '(#100) metric must be one of the following values: followers_count', code: 100 });
      const value = world.accountMetrics.of('threads', account.handle, 'followers_count');
      return {
        status: 200,
        body: { data: [{ name: 'followers_count', period: 'day', title: 'Followers', description: "The number of followers on the user's profile.", total_value: { value }, id: `${threadsUserIdOf(account.handle)}/insights/followers_count/day` }] },
      };
    }),
  );

  app.post<{ Params: { id: string } }>('/v1.0/:id/threads', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'POST');
      const body = { ...queryOf(request), ...fieldsOf(request) } as Record<string, unknown>;
      const replyTo = body.reply_to_id === undefined || body.reply_to_id === '' ? undefined : String(body.reply_to_id);
      if (replyTo && !isRepliable(world, replyTo)) return replyTargetGone(replyTo);
      return createContainer(world, 'threads', account, body, threadsRequest(body), THREADS_MEDIA, replyTo ? { replyTo } : {});
    }),
  );

  app.post<{ Params: { id: string } }>('/v1.0/:id/threads_publish', (request, reply) =>
    gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishContainer(world, 'threads', account, request) : unknownObject(request.params.id, 'POST'))),
  );

  app.get<{ Params: { id: string } }>('/v1.0/:id/threads', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'GET');
      return graphPage(world, world.url('threads'), account, request, (post) => toThreadsMedia(world, post), (post) => post.kind === 'post');
    }),
  );

  // The user's own replies, newest first (Threads lists them apart from the user's threads).
  app.get<{ Params: { id: string } }>('/v1.0/:id/replies', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'GET');
      return graphPage(world, world.url('threads'), account, request, (post) => toThreadsMedia(world, post), (post) => post.kind === 'reply');
    }),
  );

  // `DELETE /{threads-media-id}` (developers.facebook.com/docs/threads/posts/delete-posts): one's own post or reply,
  // with `threads_delete`; `{success, deleted_id}`. A post that is not there (or not one's own) is the Graph API's
  // unknown object (400, code 100, subcode 33), as for any other method.
  app.delete<{ Params: { id: string } }>('/v1.0/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { id } = request.params;
      const post = world.store.find(id);
      if (!post || post.network !== 'threads' || post.handle !== account.handle || post.kind === 'comment') return unknownObject(id, 'DELETE');
      if (account.scope !== undefined && !account.scope.split(/[\s,]+/).includes('threads_delete')) {
        return graphError(403, { message: '(#10) Application does not have permission for this action', code: 10 });
      }
      world.store.remove(post.id);
      return { status: 200, body: { success: true, deleted_id: post.id } };
    }),
  );

  app.get<{ Params: { id: string } }>('/v1.0/:id/threads_publishing_limit', (request, reply) =>
    gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishingLimit(world, 'threads', account, request) : unknownObject(request.params.id, 'GET'))),
  );
}

/** A post or reply as Threads lists it (a reply with `is_reply`, `replied_to` and `root_post`). */
function toThreadsMedia(world: MockWorld, post: MockPost) {
  return {
    id: post.id,
    text: post.text,
    timestamp: post.createdAt,
    media_type: post.media.length === 0 ? 'TEXT_POST' : post.media.length > 1 ? 'CAROUSEL_ALBUM' : post.media[0]!.type === 'video' ? 'VIDEO' : 'IMAGE',
    ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
    permalink: `https://www.threads.net/@${post.handle}/post/${post.id}`,
    is_reply: post.kind === 'reply',
    ...(post.replyTo ? { replied_to: { id: post.replyTo }, root_post: { id: world.store.threadRootOf(post).id } } : {}),
  };
}

/** A Threads create call's `media_type` (TEXT, IMAGE, VIDEO, CAROUSEL; TEXT when absent) and its URL or children. */
function threadsRequest(body: Record<string, unknown>): ContainerRequest | { refusal: Answer } {
  const mediaType = typeof body.media_type === 'string' ? body.media_type : 'TEXT';
  const url = (name: string) => (typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined);
  switch (mediaType) {
    case 'TEXT':
      return { kind: 'text' };
    case 'IMAGE':
      return url('image_url') ? { kind: 'image', url: url('image_url')! } : { refusal: invalidParameter('image_url is required for media_type IMAGE') };
    case 'VIDEO':
      return url('video_url') ? { kind: 'video', url: url('video_url')! } : { refusal: invalidParameter('video_url is required for media_type VIDEO') };
    case 'CAROUSEL':
      return { kind: 'carousel', children: body.children };
    default:
      return { refusal: invalidParameter('media_type must be TEXT, IMAGE, VIDEO or CAROUSEL') };
  }
}
