/**
 * Comments on a Page's posts, as the Graph API takes them:
 * `POST /{page-post-id}/comments` (`message`, with the Page token: the
 * Page comments as itself) answers `{id}`; `GET /{page-post-id}/comments`
 * lists them, oldest first. A post the Page does not have is Graph's
 * "object does not exist".
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Principal, checkComment } from '../../gate';
import { fieldsOf, queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { pageIdOf } from '../meta/facebook-login';
import { metaFace, unknownObject } from '../meta/graph';
import { GRAPH_VERSIONS } from '../meta/versions';

export function registerFacebookComments(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'facebook');
  const { gate, store } = world;
  const paramsOf = (request: FastifyRequest) => ({ ...queryOf(request), ...fieldsOf(request) }) as Record<string, unknown>;
  /** A post of this Page (its id is `{page-id}_{n}`). */
  const pagePost = (account: Principal, id: string) => {
    const post = store.find(id);
    return post?.network === 'facebook' && post.kind === 'post' && post.handle === account.handle && id.startsWith(`${pageIdOf(account.handle)}_`) ? post : undefined;
  };

  for (const version of GRAPH_VERSIONS) {
    app.post<{ Params: { id: string } }>(`/${version}/:id/comments`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        const post = pagePost(account, request.params.id);
        if (!post) return unknownObject(request.params.id, 'POST');
        const message = paramsOf(request).message;
        const text = typeof message === 'string' ? message : '';
        checkComment('facebook', text);
        const postNumber = post.id.slice(post.id.indexOf('_') + 1);
        const comment = store.accept(account, text, [], { idFor: (n) => `${postNumber}_${n}`, replyTo: { kind: 'comment', id: post.id } });
        return { status: 200, body: { id: comment.id } };
      }),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/comments`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        const post = pagePost(account, request.params.id);
        if (!post) return unknownObject(request.params.id, 'GET');
        const data = store.commentsOf(post.id).map((comment) => ({
          id: comment.id,
          message: comment.text,
          created_time: comment.createdAt.replace(/\.\d{3}Z$/, '+0000'),
          from: { name: comment.handle, id: pageIdOf(comment.handle) },
        }));
        return { status: 200, body: { data, paging: { cursors: { before: '', after: '' } } } };
      }),
    );
  }
}
