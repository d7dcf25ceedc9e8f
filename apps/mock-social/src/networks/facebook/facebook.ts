/**
 * A Facebook Page at its own origin (Graph API, with Facebook Login), with
 * the Page token or its owner's user token: `POST /{page-id}/feed`
 * (`message`, and `attached_media` naming the Page's unpublished photos,
 * each usable once), photos by public URL (`POST /{page-id}/photos`:
 * published at once with `message`, or `published=false` to attach later),
 * videos by public URL (`POST /{page-id}/videos` with `file_url`), each
 * fetched and judged by its bytes (see facebook.media.ts), and the feed for
 * lookups, paged as the Graph API pages; a post read (`GET /{page-post-id}`)
 * or deleted (`DELETE /{page-post-id}`) by id. Comments on its posts:
 * facebook.comments.ts.
 */
import { registerInsights } from '../meta/insights';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Principal, checkContent } from '../../gate';
import { Answer, fieldsOf, queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { pageIdOf, registerFacebookLogin } from '../meta/facebook-login';
import { invalidParameter } from '../meta/containers';
import { graphNode, graphPage, metaFace, unknownObject } from '../meta/graph';
import { GRAPH_VERSIONS } from '../meta/versions';
import { registerFacebookComments } from './facebook.comments';
import { attachedPhotos, facebookPhotos, fetchPhoto, fetchVideo } from './facebook.media';
import { pageFields } from './facebook.profile';

/** The fields of a Page post the mock can read (`GET /{page-post-id}?fields=`). */
const POST_FIELDS = ['message', 'created_time', 'updated_time', 'permalink_url', 'is_published', 'from'];

export function registerFacebook(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'facebook');
  const { gate, store } = world;
  const photos = facebookPhotos(world);
  registerFacebookLogin(app, world, 'facebook');
  registerFacebookComments(app, world);
  registerInsights(app, world, face, 'facebook', GRAPH_VERSIONS);
  const isPage = (account: Principal, id: string) => id === pageIdOf(account.handle) || (id === 'me' && account.scope?.includes('pages_manage_posts'));
  const paramsOf = (request: FastifyRequest) => ({ ...queryOf(request), ...fieldsOf(request) }) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');

  for (const version of GRAPH_VERSIONS) {
    app.post<{ Params: { id: string } }>(`/${version}/:id/feed`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        if (!isPage(account, request.params.id)) return unknownObject(request.params.id, 'POST');
        const body = paramsOf(request);
        const attached = attachedPhotos(world, account, body);
        if ('refusal' in attached) return attached.refusal;
        const message = text(body.message);
        checkContent('facebook', message, attached.photos);
        const post = store.accept(account, message, attached.photos.map(({ id: _id, ...media }) => media), { idFor: (n) => `${pageIdOf(account.handle)}_${n}` });
        for (const photo of attached.photos) photo.attachedTo = post.id;
        return { status: 200, body: { id: post.id } };
      }),
    );

    app.post<{ Params: { id: string } }>(`/${version}/:id/photos`, (request, reply) => {
      const body = paramsOf(request);
      const unpublished = body.published === false || body.published === 'false';
      const work = async (account: Principal): Promise<Answer> => {
        if (!isPage(account, request.params.id)) return unknownObject(request.params.id, 'POST');
        if (typeof body.url !== 'string' || body.url === '') return invalidParameter('url is required (the mock takes photos by URL)');
        const fetched = await fetchPhoto(body.url);
        if ('refusal' in fetched) return fetched.refusal;
        const id = store.nextId();
        const alt = text(body.alt_text_custom);
        if (unpublished) {
          photos.put(account, id, { id, ...fetched.facts, alt });
          return { status: 200, body: { id } };
        }
        const message = text(body.message);
        checkContent('facebook', message, [{ alt }]);
        const post = store.accept(account, message, [{ ...fetched.facts, alt }], { idFor: (n) => `${pageIdOf(account.handle)}_${n}` });
        return { status: 200, body: { id, post_id: post.id } };
      };
      // An unpublished photo is an upload (no fault applies); a published one is a post.
      return unpublished ? gate.authenticated(face, request, reply, work) : gate.run(face, request, reply, work);
    });

    app.post<{ Params: { id: string } }>(`/${version}/:id/videos`, (request, reply) =>
      gate.run(face, request, reply, async (account) => {
        if (!isPage(account, request.params.id)) return unknownObject(request.params.id, 'POST');
        const body = paramsOf(request);
        if (typeof body.file_url !== 'string' || body.file_url === '') return invalidParameter('file_url is required (the mock takes videos by URL)');
        const fetched = await fetchVideo(body.file_url);
        if ('refusal' in fetched) return fetched.refusal;
        const description = text(body.description);
        checkContent('facebook', description, [{}]);
        const videoId = store.nextId();
        store.accept(account, description, [{ ...fetched.facts, alt: '' }], { idFor: (n) => `${pageIdOf(account.handle)}_${n}`, record: { videoId } });
        return { status: 200, body: { id: videoId } };
      }),
    );

    // One post of the Page by id: read, or deleted (`{success: true}`); its comments go with it.
    const pagePost = (account: Principal, id: string) => {
      const post = store.find(id);
      return post?.network === 'facebook' && post.kind === 'post' && post.handle === account.handle ? post : undefined;
    };
    app.get<{ Params: { id: string } }>(`/${version}/:id`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        if (request.params.id === pageIdOf(account.handle)) return { status: 200, body: pageFields(world, account, queryOf(request).fields) };
        const post = pagePost(account, request.params.id);
        if (!post) return unknownObject(request.params.id, 'GET');
        // A Page post's default fields are created_time, message and id; `fields` asks for others.
        const node = {
          id: post.id,
          message: post.text || undefined,
          created_time: post.createdAt.replace(/\.\d{3}Z$/, '+0000'),
          updated_time: post.createdAt.replace(/\.\d{3}Z$/, '+0000'),
          permalink_url: `https://www.facebook.com/${post.id.replace('_', '/posts/')}`,
          is_published: true,
          from: { id: pageIdOf(post.handle), name: pageFields(world, account, 'name').name },
        };
        return graphNode(queryOf(request).fields, node, POST_FIELDS, ['created_time', 'message'], 'Post');
      }),
    );
    app.delete<{ Params: { id: string } }>(`/${version}/:id`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        const post = pagePost(account, request.params.id);
        if (!post) return unknownObject(request.params.id, 'DELETE');
        store.remove(post.id);
        return { status: 200, body: { success: true } };
      }),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/feed`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        if (!isPage(account, request.params.id)) return unknownObject(request.params.id, 'GET');
        return graphPage(world, world.url('facebook'), account, request, (post) => ({
          id: post.id,
          message: post.text,
          created_time: post.createdAt.replace(/\.\d{3}Z$/, '+0000'),
          ...(post.media.length > 0
            ? {
                attachments: {
                  data: post.media.map((item, index) => ({
                    type: item.type === 'video' ? 'video_inline' : 'photo',
                    media: { image: { src: `${world.url('facebook')}/media/${encodeURIComponent(post.id)}/${index}`, width: item.width, height: item.height } },
                    description: item.alt ?? '',
                  })),
                },
              }
            : {}),
        }));
      }),
    );
  }
}
