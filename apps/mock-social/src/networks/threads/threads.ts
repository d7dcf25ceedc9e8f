/**
 * Threads' Graph API (graph.threads.net) at its own origin: the user
 * (`/v1.0/me?fields=id,username`), a container (`POST /v1.0/{user-id}/threads`,
 * with media fetched from its URL, carousels by `children`; see
 * meta/containers.ts), then its publication (`/threads_publish?creation_id=`),
 * a container's status (`GET /v1.0/{container-id}?fields=status`), the user's threads
 * paged as the Graph API pages, and the publishing quota
 * (`threads_publishing_limit`; `threads_publish` refused past it, see
 * quotas.ts). Faults apply to the publish step, the status and lookups.
 */
import type { FastifyInstance } from 'fastify';
import { Principal } from '../../gate';
import { Answer, fieldsOf, queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { ContainerRequest, THREADS_MEDIA, containerStatus, createContainer, invalidParameter, publishContainer } from '../meta/containers';
import { graphPage, metaFace, publishingLimit, unknownObject } from '../meta/graph';
import { registerThreadsOAuth, threadsUserIdOf } from './threads.oauth';

export function registerThreads(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'threads');
  const { gate } = world;
  registerThreadsOAuth(app, world);
  const isSelf = (account: Principal, id: string) => id === 'me' || id === threadsUserIdOf(account.handle);

  app.get<{ Params: { id: string } }>('/v1.0/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { id } = request.params;
      if (isSelf(account, id)) return { status: 200, body: { id: threadsUserIdOf(account.handle), username: account.handle } };
      return containerStatus(world, 'threads', account, id, 'status') ?? unknownObject(id, 'GET');
    }),
  );

  app.post<{ Params: { id: string } }>('/v1.0/:id/threads', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'POST');
      const body = { ...queryOf(request), ...fieldsOf(request) } as Record<string, unknown>;
      return createContainer(world, 'threads', account, body, threadsRequest(body), THREADS_MEDIA);
    }),
  );

  app.post<{ Params: { id: string } }>('/v1.0/:id/threads_publish', (request, reply) =>
    gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishContainer(world, 'threads', account, request) : unknownObject(request.params.id, 'POST'))),
  );

  app.get<{ Params: { id: string } }>('/v1.0/:id/threads', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'GET');
      return graphPage(world, world.url('threads'), account, request, (post) => ({
        id: post.id,
        text: post.text,
        timestamp: post.createdAt,
        media_type: post.media.length === 0 ? 'TEXT_POST' : post.media.length > 1 ? 'CAROUSEL_ALBUM' : post.media[0]!.type === 'video' ? 'VIDEO' : 'IMAGE',
        ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
        permalink: `https://www.threads.net/@${account.handle}/post/${post.id}`,
      }));
    }),
  );

  app.get<{ Params: { id: string } }>('/v1.0/:id/threads_publishing_limit', (request, reply) =>
    gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishingLimit(world, 'threads', account, request) : unknownObject(request.params.id, 'GET'))),
  );
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
