/**
 * Instagram's content publishing at its own origin (Graph API, with
 * Facebook Login; and graph.instagram.com's `GET /refresh_access_token`,
 * `grant_type=ig_refresh_token`): a media container
 * (`POST /{ig-user-id}/media`, carousels via `children`), its publication
 * (`/media_publish?creation_id=`), a container's `status_code`, the user's
 * media paged as the Graph API pages, and the publishing quota
 * (`content_publishing_limit`; `media_publish` refused past it, see quotas.ts).
 * Faults apply to the publish step, the status and lookups.
 */
import type { FastifyInstance } from 'fastify';
import { Principal } from '../../gate';
import { fieldsOf, queryOf, send } from '../../http/answer';
import { MockWorld } from '../../world';
import { registerFacebookLogin, igUserIdOf } from '../meta/facebook-login';
import { GRAPH_ERRORS, containerStatus, graphError, graphPage, metaFace, publishContainer, publishingLimit, unknownObject } from '../meta/graph';
import { longLivedFor } from '../meta/meta.oauth';
import { GRAPH_VERSIONS } from '../meta/versions';

export function registerInstagram(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'instagram');
  const { gate, store } = world;
  registerFacebookLogin(app, world, 'instagram');
  const isSelf = (account: Principal, id: string) => id === 'me' || id === igUserIdOf(account.handle);

  app.get('/refresh_access_token', (request, reply) => {
    const query = queryOf(request);
    const answer = query.grant_type === 'ig_refresh_token' ? longLivedFor(world, 'instagram', query.access_token) : graphError(400, { message: 'grant_type must be ig_refresh_token', code: 100 });
    world.tokenCalls.record('instagram', undefined, query.grant_type ?? '(none)', answer.status !== 200);
    send(reply, answer);
  });

  for (const version of GRAPH_VERSIONS) {
    app.get<{ Params: { id: string } }>(`/${version}/:id`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        const { id } = request.params;
        if (isSelf(account, id)) return { status: 200, body: { id: igUserIdOf(account.handle), username: account.handle } };
        return containerStatus(world, account, id, 'status_code') ?? unknownObject(id, 'GET');
      }),
    );

    app.post<{ Params: { id: string } }>(`/${version}/:id/media`, (request, reply) =>
      gate.authenticated(face, request, reply, (account) => {
        if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'POST');
        const body = { ...queryOf(request), ...fieldsOf(request) } as Record<string, unknown>;
        const caption = typeof body.caption === 'string' ? body.caption : '';
        const children = Array.isArray(body.children) ? body.children.map(String) : typeof body.children === 'string' ? body.children.split(',') : [];
        const url = typeof body.image_url === 'string' ? body.image_url : typeof body.video_url === 'string' ? body.video_url : '';
        if (!url && children.length === 0) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'image_url, video_url or children is required') };
        const id = store.nextId();
        store.stage(account, { ...(url ? { url } : {}), text: caption, children, ...(typeof body.alt_text === 'string' ? { alt: body.alt_text } : {}) }, id);
        return { status: 200, body: { id } };
      }),
    );

    app.post<{ Params: { id: string } }>(`/${version}/:id/media_publish`, (request, reply) =>
      gate.run(face, request, reply, (account) =>
        isSelf(account, request.params.id) ? publishContainer(world, 'instagram', account, request) : unknownObject(request.params.id, 'POST'),
      ),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/media`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'GET');
        return graphPage(world, world.url('instagram'), account, request, (post) => ({
          id: post.id,
          caption: post.text,
          timestamp: post.createdAt,
          media_type: post.media.length > 1 ? 'CAROUSEL_ALBUM' : 'IMAGE',
          ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
          permalink: `https://www.instagram.com/p/${post.id}/`,
        }));
      }),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/content_publishing_limit`, (request, reply) =>
      gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishingLimit(world, 'instagram', account, request) : unknownObject(request.params.id, 'GET'))),
    );
  }
}
