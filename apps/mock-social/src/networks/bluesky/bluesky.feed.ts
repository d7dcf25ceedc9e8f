/**
 * The AppView's `app.bsky.feed.getPosts` (proxied by the PDS, as a real
 * PDS does for `app.bsky.*` reads): up to 25 `uris`, each post as a
 * `postView` with its `likeCount`, `repostCount`, `replyCount`,
 * `quoteCount` (the mock's metrics); a URI of a post not there is left out
 * of `posts`, as the AppView does.
 */
import type { FastifyInstance } from 'fastify';
import { MockWorld } from '../../world';
import { blueskyFace, xrpcError } from './bluesky.face';

const MAX_URIS = 25;

export function registerBlueskyFeed(app: FastifyInstance, world: MockWorld): void {
  const face = blueskyFace(world);
  app.get('/xrpc/app.bsky.feed.getPosts', (request, reply) =>
    world.gate.run(face, request, reply, () => {
      const asked = (request.query as Record<string, string | string[] | undefined>).uris;
      const uris = asked === undefined ? [] : Array.isArray(asked) ? asked : [asked];
      if (uris.length < 1 || uris.length > MAX_URIS) return xrpcError(400, 'InvalidRequest', `uris must hold 1 to ${MAX_URIS} items`);
      const posts = uris.flatMap((uri) => {
        const post = world.store.find(uri);
        if (!post || post.network !== 'bluesky') return [];
        // The record's own CID and value, as createRecord kept them (what a strong ref to it must name).
        const record = post.record as { cid: string; value: unknown };
        return [{ uri, cid: record.cid, author: { did: uri.split('/')[2], handle: post.handle }, record: record.value, indexedAt: post.receivedAt, ...world.metrics.of(post) }];
      });
      return { status: 200, body: { posts } };
    }),
  );
}
