/**
 * Comments on an Instagram professional account's media, as the Graph API
 * takes them: `POST /{ig-media-id}/comments` (`message`) answers `{id}`;
 * `GET /{ig-media-id}/comments` lists them (`id`, `text`, `timestamp`,
 * `username`), oldest first. Media the account does not have is Graph's
 * "object does not exist".
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Principal, checkComment } from '../../gate';
import { fieldsOf, queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { metaFace, unknownObject } from '../meta/graph';
import { GRAPH_VERSIONS } from '../meta/versions';

export function registerInstagramComments(app: FastifyInstance, world: MockWorld): void {
  const face = metaFace(world, 'instagram');
  const { gate, store } = world;
  const paramsOf = (request: FastifyRequest) => ({ ...queryOf(request), ...fieldsOf(request) }) as Record<string, unknown>;
  const ownMedia = (account: Principal, id: string) => {
    const post = store.find(id);
    return post?.network === 'instagram' && post.kind === 'post' && post.handle === account.handle ? post : undefined;
  };

  for (const version of GRAPH_VERSIONS) {
    app.post<{ Params: { id: string } }>(`/${version}/:id/comments`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        const media = ownMedia(account, request.params.id);
        if (!media) return unknownObject(request.params.id, 'POST');
        const message = paramsOf(request).message;
        const text = typeof message === 'string' ? message : '';
        checkComment('instagram', text);
        const comment = store.accept(account, text, [], { replyTo: { kind: 'comment', id: media.id } });
        return { status: 200, body: { id: comment.id } };
      }),
    );

    app.get<{ Params: { id: string } }>(`/${version}/:id/comments`, (request, reply) =>
      gate.run(face, request, reply, (account) => {
        const media = ownMedia(account, request.params.id);
        if (!media) return unknownObject(request.params.id, 'GET');
        const data = store.commentsOf(media.id).map((comment) => ({ id: comment.id, text: comment.text, timestamp: comment.createdAt.replace(/\.\d{3}Z$/, '+0000'), username: comment.handle }));
        return { status: 200, body: { data } };
      }),
    );
  }
}
