/**
 * LinkedIn's Comments API (`/rest/socialActions/{urn}/comments`, with
 * `LinkedIn-Version`): a comment by the member the token belongs to
 * (`actor`) on a post this LinkedIn has (`object`, when given, names the
 * same post), `message.text` within the comment limit, answered 201 with
 * the comment (its `commentUrn`, `urn:li:comment:({post urn},{id})`) and
 * its id in `x-restli-id`; and a post's comments, oldest first, paged by
 * `start` and `count`.
 */
import type { FastifyInstance } from 'fastify';
import { linkedinSubOf } from '../../accounts';
import { NetworkFace, checkComment } from '../../gate';
import { Answer, fieldsOf, queryOf } from '../../http/answer';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { LINKEDIN_ERRORS, versionProblem } from './linkedin.face';

interface CommentBody {
  actor?: unknown;
  object?: unknown;
  message?: { text?: unknown } | null;
}

export function registerLinkedInComments(app: FastifyInstance, world: MockWorld, face: NetworkFace): void {
  const { gate, store } = world;
  const urnOf = (handle: string) => `urn:li:person:${linkedinSubOf(handle)}`;
  const postOf = (urn: string) => {
    const post = store.find(urn);
    return post?.network === 'linkedin' && post.kind === 'post' ? post : undefined;
  };

  app.post<{ Params: { urn: string } }>('/rest/socialActions/:urn/comments', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const version = versionProblem(request);
      if (version) return version;
      const { urn } = request.params;
      const body = fieldsOf(request) as CommentBody;
      if (body.actor !== urnOf(account.handle)) return forbidden('partnerApiSocialActions.CREATE');
      if (body.object !== undefined && body.object !== urn) return invalid(`/object :: must be the post the comment is on, ${urn}`);
      const text = body.message?.text;
      if (typeof text !== 'string') return invalid('/message/text :: field is required but not found and has no default value');
      const post = postOf(urn);
      if (!post) return notFound(urn);
      checkComment('linkedin', text);
      const comment = store.accept(account, text, [], { idFor: (n) => `urn:li:comment:(${urn},${n})`, replyTo: { kind: 'comment', id: urn } });
      const id = commentIdOf(comment);
      return { status: 201, headers: { 'x-restli-id': id, 'x-linkedin-id': id }, body: toComment(comment, urnOf(account.handle)) };
    }),
  );

  app.get<{ Params: { urn: string } }>('/rest/socialActions/:urn/comments', (request, reply) =>
    gate.run(face, request, reply, () => {
      const version = versionProblem(request);
      if (version) return version;
      const { urn } = request.params;
      if (!postOf(urn)) return notFound(urn);
      const query = queryOf(request);
      const count = query.count === undefined ? 10 : Number(query.count);
      const start = query.start === undefined ? 0 : Number(query.start);
      if (!Number.isInteger(count) || count < 1 || count > 100 || !Number.isInteger(start) || start < 0) return invalid('count must be 1 to 100 and start at least 0');
      const all = store.commentsOf(urn);
      const base = `/rest/socialActions/${encodeURIComponent(urn)}/comments`;
      return {
        status: 200,
        body: {
          paging: { start, count, total: all.length, links: start + count < all.length ? [{ rel: 'next', type: 'application/json', href: `${base}?start=${start + count}&count=${count}` }] : [] },
          elements: all.slice(start, start + count).map((comment) => toComment(comment, urnOf(comment.handle))),
        },
      };
    }),
  );
}

/** A comment's own id: the last part of its URN. */
function commentIdOf(comment: MockPost): string {
  return comment.id.slice(comment.id.lastIndexOf(',') + 1, -1);
}

/** A comment as LinkedIn answers it. */
function toComment(comment: MockPost, actor: string) {
  const time = Date.parse(comment.createdAt);
  return {
    actor,
    commentUrn: comment.id,
    $URN: comment.id,
    id: commentIdOf(comment),
    object: comment.replyTo,
    message: { text: comment.text, attributes: [] },
    created: { actor, time },
    lastModified: { actor, time },
  };
}

const forbidden = (what: string): Answer => ({ status: 403, body: { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: `Not enough permissions to access: ${what}` } });
const invalid = (message: string): Answer => ({ status: 422, body: LINKEDIN_ERRORS.body(422, 'invalid', message) });
const notFound = (urn: string): Answer => ({ status: 404, body: LINKEDIN_ERRORS.body(404, 'not_found', `Not Found: the post ${urn} does not exist`) });
