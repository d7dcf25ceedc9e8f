/**
 * Instagram's content publishing at its own origin (Graph API, with
 * Facebook Login; and graph.instagram.com's `GET /refresh_access_token`,
 * `grant_type=ig_refresh_token`): a media container
 * (`POST /{ig-user-id}/media`: an image by `image_url`, a reel by
 * `media_type=REELS&video_url`, carousels via `children`; fetched and judged
 * as meta/containers.ts says), its publication
 * (`/media_publish?creation_id=`), a container's `status_code`, published
 * media by id (`GET /{ig-media-id}`; the API has no delete), the user's
 * media paged as the Graph API pages, and the publishing quota
 * (`content_publishing_limit`; `media_publish` refused past it, see quotas.ts).
 * Faults apply to the publish step, the status and lookups. Comments on
 * its media: instagram.comments.ts.
 */
import { registerInsights } from '../meta/insights';
import type { FastifyInstance } from 'fastify';
import { Principal } from '../../gate';
import { Answer, fieldsOf, queryOf, send } from '../../http/answer';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { registerInstagramComments } from './instagram.comments';
import { registerFacebookLogin, igUserIdOf } from '../meta/facebook-login';
import { ContainerRequest, INSTAGRAM_MEDIA, containerStatus, createContainer, invalidParameter, publishContainer } from '../meta/containers';
import { graphError, graphNode, graphPage, metaFace, publishingLimit, unknownObject } from '../meta/graph';
import { longLivedFor } from '../meta/meta.oauth';
import { GRAPH_VERSIONS } from '../meta/versions';

/** The professional account, with the fields asked for (`id,username` when none are): `name`, `profile_picture_url`, `followers_count`, `follows_count`, `media_count`. */
function instagramUser(world: MockWorld, account: Principal, fields: string | undefined): Record<string, unknown> {
  const shown = world.profiles.of({ ...account, network: 'instagram' });
  const asked = new Set((fields ?? 'id,username').split(',').map((field) => field.trim()));
  const all: Record<string, unknown> = {
    id: igUserIdOf(account.handle),
    username: shown.handle,
    name: shown.displayName,
    profile_picture_url: `${world.url('instagram')}${shown.avatarPath}`,
    followers_count: world.accountMetrics.of('instagram', account.handle, 'followers_count'),
    follows_count: world.accountMetrics.of('instagram', account.handle, 'follows_count'),
    media_count: world.accountMetrics.of('instagram', account.handle, 'media_count', world.store.postsOf({ network: 'instagram', handle: account.handle }).filter((post) => post.kind === 'post').length),
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => name === 'id' || asked.has(name)));
}

export function registerInstagram(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'instagram');
  const { gate } = world;
  registerFacebookLogin(app, world, 'instagram');
  registerInstagramComments(app, world);
  registerInsights(app, world, face, 'instagram', GRAPH_VERSIONS);
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
        if (isSelf(account, id)) return { status: 200, body: instagramUser(world, account, queryOf(request).fields) };
        const media = world.store.find(id);
        // Published media: `id` alone unless `fields` names more, as the Graph API reads IG Media.
        if (media?.network === 'instagram' && media.kind === 'post' && media.handle === account.handle) {
          return graphNode(queryOf(request).fields, { ...toMedia(media), username: world.profiles.of({ ...account, network: 'instagram' }).handle, ...mediaCounts(world, media) }, MEDIA_FIELDS, [], 'IGMedia');
        }
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
        return graphPage(world, world.url('instagram'), account, request, toMedia);
      }),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/content_publishing_limit`, (request, reply) =>
      gate.run(face, request, reply, (account) => (isSelf(account, request.params.id) ? publishingLimit(world, 'instagram', account, request) : unknownObject(request.params.id, 'GET'))),
    );
  }
}

/** The fields of published media the mock can read (`GET /{ig-media-id}?fields=`). */
const MEDIA_FIELDS = ['caption', 'timestamp', 'media_type', 'media_product_type', 'children', 'permalink', 'username', 'like_count', 'comments_count'];

/** Its like and comment counts, as the mock's metrics have them. */
function mediaCounts(world: MockWorld, media: MockPost): { like_count?: number; comments_count?: number } {
  const metrics = world.metrics.of(media) as Record<string, unknown>;
  return {
    ...(typeof metrics.like_count === 'number' ? { like_count: metrics.like_count } : {}),
    ...(typeof metrics.comments_count === 'number' ? { comments_count: metrics.comments_count } : {}),
  };
}

/** Published media as the Graph API reads it (by id or in the user's media). */
function toMedia(post: MockPost) {
  return {
    id: post.id,
    caption: post.text,
    timestamp: post.createdAt,
    media_type: post.media.length > 1 ? 'CAROUSEL_ALBUM' : post.media[0]?.type === 'video' ? 'VIDEO' : 'IMAGE',
    ...(post.media.length === 1 && post.media[0]!.type === 'video' ? { media_product_type: 'REELS' } : {}),
    ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
    permalink: `https://www.instagram.com/p/${post.id}/`,
  };
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
