/**
 * Instagram's content publishing at its own origin (Graph API, with
 * Facebook Login; and graph.instagram.com's `GET /refresh_access_token`,
 * `grant_type=ig_refresh_token`): a media container
 * (`POST /{ig-user-id}/media`: an image by `image_url`, a reel by
 * `media_type=REELS&video_url`, carousels via `children`; fetched and judged
 * as meta/containers.ts says), its publication
 * (`/media_publish?creation_id=`), a container's `status_code`, the user's
 * media paged as the Graph API pages, and the publishing quota
 * (`content_publishing_limit`; `media_publish` refused past it, see quotas.ts).
 * Faults apply to the publish step, the status and lookups.
 */
import type { FastifyInstance } from 'fastify';
import { Principal } from '../../gate';
import { Answer, fieldsOf, queryOf, send } from '../../http/answer';
import { MockWorld } from '../../world';
import { registerFacebookLogin, igUserIdOf } from '../meta/facebook-login';
import { ContainerRequest, INSTAGRAM_MEDIA, containerStatus, createContainer, invalidParameter, publishContainer } from '../meta/containers';
import { graphError, graphPage, metaFace, publishingLimit, unknownObject } from '../meta/graph';
import { longLivedFor } from '../meta/meta.oauth';
import { GRAPH_VERSIONS } from '../meta/versions';

export function registerInstagram(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'instagram');
  const { gate } = world;
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
        return containerStatus(world, 'instagram', account, id, 'status_code') ?? unknownObject(id, 'GET');
      }),
    );

    app.post<{ Params: { id: string } }>(`/${version}/:id/media`, (request, reply) =>
      gate.authenticated(face, request, reply, (account) => {
        if (!isSelf(account, request.params.id)) return unknownObject(request.params.id, 'POST');
        const body = { ...queryOf(request), ...fieldsOf(request) } as Record<string, unknown>;
        return createContainer(world, 'instagram', account, body, instagramRequest(body), INSTAGRAM_MEDIA);
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
          media_type: post.media.length > 1 ? 'CAROUSEL_ALBUM' : post.media[0]?.type === 'video' ? 'VIDEO' : 'IMAGE',
          ...(post.media.length === 1 && post.media[0]!.type === 'video' ? { media_product_type: 'REELS' } : {}),
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

/**
 * An Instagram create call: an image (`image_url`, no media_type or IMAGE),
 * a reel (`media_type=REELS`, `video_url`), a carousel's video child
 * (`media_type=VIDEO` with `is_carousel_item`), or a carousel (`children`).
 */
function instagramRequest(body: Record<string, unknown>): ContainerRequest | { refusal: Answer } {
  const url = (name: string) => (typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined);
  const carouselItem = body.is_carousel_item === true || body.is_carousel_item === 'true';
  switch (body.media_type ?? 'IMAGE') {
    case 'IMAGE':
      return url('image_url') ? { kind: 'image', url: url('image_url')! } : { refusal: invalidParameter('image_url, video_url or children is required') };
    case 'REELS':
      return url('video_url') ? { kind: 'video', url: url('video_url')! } : { refusal: invalidParameter('video_url is required for media_type REELS') };
    case 'VIDEO':
      if (!carouselItem) return { refusal: invalidParameter('The VIDEO media type is no longer supported for a single post; use REELS') };
      return url('video_url') ? { kind: 'video', url: url('video_url')! } : { refusal: invalidParameter('video_url is required for media_type VIDEO') };
    case 'CAROUSEL':
      return { kind: 'carousel', children: body.children };
    default:
      return { refusal: invalidParameter('media_type must be IMAGE, REELS, VIDEO (a carousel item) or CAROUSEL') };
  }
}
