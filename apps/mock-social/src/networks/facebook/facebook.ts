/**
 * A Facebook Page's feed at its own origin (Graph API, with Facebook
 * Login): `POST /{page-id}/feed` with `message` (photos given by URL as
 * `attached_media` `[{url, alt}]`, the mock's simplification), with the
 * Page token or its owner's user token, and the feed for lookups, paged as
 * the Graph API pages.
 */
import type { FastifyInstance } from 'fastify';
import { Principal, checkContent } from '../../gate';
import { fieldsOf } from '../../http/answer';
import { MockMedia } from '../../store';
import { MockWorld } from '../../world';
import { pageIdOf, registerFacebookLogin } from '../meta/facebook-login';
import { graphPage, metaFace, unknownObject } from '../meta/graph';
import { GRAPH_VERSIONS } from '../meta/versions';

export function registerFacebook(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'facebook');
  const { gate, store } = world;
  registerFacebookLogin(app, world, 'facebook');
  const isPage = (account: Principal, id: string) => id === pageIdOf(account.handle) || (id === 'me' && account.scope?.includes('pages_manage_posts'));

  for (const version of GRAPH_VERSIONS) {
    app.post<{ Params: { id: string } }>(`/${version}/:id/feed`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        if (!isPage(account, request.params.id)) return unknownObject(request.params.id, 'POST');
        const body = fieldsOf(request) as { message?: unknown; attached_media?: unknown };
        const text = typeof body.message === 'string' ? body.message : '';
        const media = mediaUrls(body.attached_media);
        checkContent('facebook', text, media);
        const post = store.accept(account, text, media, { idFor: (n) => `${pageIdOf(account.handle)}_${n}` });
        return { status: 200, body: { id: post.id } };
      }),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/feed`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        if (!isPage(account, request.params.id)) return unknownObject(request.params.id, 'GET');
        return graphPage(world, world.url('facebook'), account, request, (post) => ({
          id: post.id,
          message: post.text,
          created_time: post.createdAt.replace(/\.\d{3}Z$/, '+0000'),
          ...(post.media.length > 0 ? { attachments: { data: post.media.map((item) => ({ media: { image: { src: item.url } }, description: item.alt ?? '' })) } } : {}),
        }));
      }),
    );
  }
}

function mediaUrls(value: unknown): MockMedia[] {
  const list = typeof value === 'string' ? safeJson(value) : value;
  if (!Array.isArray(list)) return [];
  return list
    .filter((item): item is { url: string; alt?: unknown } => typeof item === 'object' && item !== null && typeof (item as { url?: unknown }).url === 'string')
    .map((item) => ({ url: item.url, ...(typeof item.alt === 'string' ? { alt: item.alt } : {}) }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
