/**
 * LinkedIn's Posts API (`/rest/posts`, with `LinkedIn-Version`): a post by
 * the member the token belongs to (`author` urn:li:person:{sub}) answers 201
 * with its URN in `x-restli-id`; the author's posts (`q=author`), newest
 * first, `count` 1–100 from offset `start`, as LinkedIn pages them; one
 * post by its URL-encoded URN (`GET`, and `DELETE` by its author: 204). The
 * commentary is little text (see little-text.ts); its `content` names
 * images and videos uploaded first (see linkedin.media.ts). Comments on
 * posts: linkedin.comments.ts.
 */
import { registerLinkedInSocialActions } from './linkedin.social-actions';
import type { FastifyInstance } from 'fastify';
import { linkedinSubOf } from '../../accounts';
import { checkContent } from '../../gate';
import { fieldsOf, queryOf } from '../../http/answer';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { LINKEDIN_ERRORS, linkedinFace, versionProblem } from './linkedin.face';
import { registerLinkedInComments } from './linkedin.comments';
import { attachableLinkedInMedia, registerLinkedInMedia } from './linkedin.media';
import { readLittleText } from './little-text';
import { registerLinkedInOAuth } from './linkedin.oauth';

interface PostBody {
  author?: unknown;
  commentary?: unknown;
  lifecycleState?: unknown;
  content?: unknown;
}

export function registerLinkedIn(app: FastifyInstance, world: MockWorld): void {
  const face = linkedinFace(world);
  const { gate, store } = world;
  registerLinkedInOAuth(app, world);
  registerLinkedInMedia(app, world, face);
  registerLinkedInComments(app, world, face);
  registerLinkedInSocialActions(app, world, face);
  const urnOf = (handle: string) => `urn:li:person:${linkedinSubOf(handle)}`;
  const forbidden = (what: string) => ({ status: 403, body: { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: `Not enough permissions to access: ${what}` } });

  app.post('/rest/posts', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const version = versionProblem(request);
      if (version) return version;
      const body = fieldsOf(request) as PostBody;
      if (body.author !== urnOf(account.handle)) return forbidden('partnerApiPostsExternal.CREATE');
      if (body.lifecycleState !== undefined && body.lifecycleState !== 'PUBLISHED' && body.lifecycleState !== 'DRAFT') {
        return { status: 422, body: LINKEDIN_ERRORS.body(422, 'invalid', '/lifecycleState :: must be PUBLISHED or DRAFT') };
      }
      const commentary = typeof body.commentary === 'string' ? body.commentary : '';
      // Stored as sent; /_mock/posts shows what a reader sees, cut where unescaped markup broke it.
      const { text } = readLittleText(commentary);
      const attached = attachableLinkedInMedia(world, account, body.content);
      if ('refusal' in attached) return attached.refusal;
      checkContent('linkedin', text, attached.media);
      const post = store.accept(account, text, attached.media, { idFor: (n) => `urn:li:share:${n}`, commentary, ...(body.content !== undefined ? { record: body.content } : {}) });
      return { status: 201, headers: { 'x-restli-id': post.id, 'x-linkedin-id': post.id } };
    }),
  );

  app.get('/rest/posts', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const version = versionProblem(request);
      if (version) return version;
      const query = queryOf(request);
      if (query.q !== 'author') return { status: 400, body: LINKEDIN_ERRORS.body(400, 'invalid', 'q must be author') };
      const author = urnOf(account.handle);
      if (query.author !== author) return forbidden('partnerApiPostsExternal.FINDER-author');
      const count = query.count === undefined ? 10 : Number(query.count);
      const start = query.start === undefined ? 0 : Number(query.start);
      if (!Number.isInteger(count) || count < 1 || count > 100 || !Number.isInteger(start) || start < 0) {
        return { status: 400, body: LINKEDIN_ERRORS.body(400, 'invalid', 'count must be 1 to 100 and start at least 0') };
      }
      const all = store.postsOf(account);
      const posts = all.slice(Math.max(0, all.length - start - count), Math.max(0, all.length - start)).reverse();
      return {
        status: 200,
        body: {
          paging: {
            start,
            count,
            total: all.length,
            links: start + count < all.length ? [{ rel: 'next', type: 'application/json', href: `/rest/posts?q=author&start=${start + count}&count=${count}` }] : [],
          },
          elements: posts.map((post) => toPost(post, author)),
        },
      };
    }),
  );

  /** A post of this LinkedIn by its URN (the path segment URL-encoded). */
  const postOf = (urn: string) => {
    const post = store.find(urn);
    return post?.network === 'linkedin' && post.kind === 'post' ? post : undefined;
  };
  const notFound = (urn: string) => ({ status: 404, body: LINKEDIN_ERRORS.body(404, 'not_found', `Not Found: the post ${urn} does not exist`) });

  app.get<{ Params: { urn: string } }>('/rest/posts/:urn', (request, reply) =>
    gate.run(face, request, reply, () => {
      const version = versionProblem(request);
      if (version) return version;
      const post = postOf(request.params.urn);
      return post ? { status: 200, body: toPost(post, urnOf(post.handle)) } : notFound(request.params.urn);
    }),
  );

  app.delete<{ Params: { urn: string } }>('/rest/posts/:urn', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const version = versionProblem(request);
      if (version) return version;
      const post = postOf(request.params.urn);
      if (!post) return notFound(request.params.urn);
      if (post.handle !== account.handle) return forbidden('partnerApiPostsExternal.DELETE');
      store.remove(post.id);
      return { status: 204 };
    }),
  );
}

/** A post as the Posts API reads it back. */
function toPost(post: MockPost, author: string) {
  return {
    id: post.id,
    author,
    commentary: post.commentary ?? post.text,
    createdAt: Date.parse(post.createdAt),
    publishedAt: Date.parse(post.createdAt),
    lastModifiedAt: Date.parse(post.createdAt),
    lifecycleState: 'PUBLISHED',
    visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    ...(post.record !== undefined ? { content: post.record } : {}),
  };
}
