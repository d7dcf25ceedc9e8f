/**
 * Threads' Graph API (graph.threads.net) at its own origin: the user
 * (`/v1.0/me?fields=id,username`), a container (`POST /v1.0/{user-id}/threads`),
 * then its publication (`/threads_publish?creation_id=`), a container's
 * status (`GET /v1.0/{container-id}?fields=status`), the user's threads
 * paged as the Graph API pages, and the publishing quota
 * (`threads_publishing_limit`; `threads_publish` refused past it, see
 * quotas.ts). Faults apply to the publish step, the status and lookups.
 */
import type { FastifyInstance } from 'fastify';
import { Principal } from '../../gate';
import { fieldsOf, queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { containerStatus, graphPage, metaFace, publishContainer, publishingLimit, unknownObject } from '../meta/graph';
import { registerThreadsOAuth, threadsUserIdOf } from './threads.oauth';

export function registerThreads(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'threads');
  const { gate, store } = world;
  registerThreadsOAuth(app, world);
  const isSelf = (account: Principal, id: string) => id === 'me' || id === threadsUserIdOf(account.handle);

  app.get<{ Params: { id: string } }>('/v1.0/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { id } = request.params;
      if (isSelf(account, id)) return { status: 200, body: { id: threadsUserIdOf(account.handle), username: account.handle } };
      return containerStatus(world, account, id, 'status') ?? unknownObject(id, 'GET');
    }),
  );

  app.post<{ Params: { id: string } }>('/v1.0/:id/threads', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'POST');
      const body = { ...queryOf(request), ...fieldsOf(request) } as Record<string, unknown>;
      const text = typeof body.text === 'string' ? body.text : '';
      const children = typeof body.children === 'string' ? body.children.split(',') : Array.isArray(body.children) ? body.children.map(String) : [];
      const url = typeof body.image_url === 'string' ? body.image_url : typeof body.video_url === 'string' ? body.video_url : undefined;
      const id = store.nextId();
      store.stage(account, { ...(url ? { url } : {}), text, children, ...(typeof body.alt_text === 'string' ? { alt: body.alt_text } : {}) }, id);
      return { status: 200, body: { id } };
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
        media_type: post.media.length === 0 ? 'TEXT_POST' : post.media.length > 1 ? 'CAROUSEL_ALBUM' : 'IMAGE',
        ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
        permalink: `https://www.threads.net/@${account.handle}/post/${post.id}`,
      }));
    }),
  );

  app.get<{ Params: { id: string } }>('/v1.0/:id/threads_publishing_limit', (request, reply) =>
    gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishingLimit(world, 'threads', account, request) : unknownObject(request.params.id, 'GET'))),
  );
}
