/**
 * `app.bsky.actor.getProfile?actor=<did or handle>` (the PDS proxies it to the
 * AppView; the mock answers it itself): the account's DID, handle, display
 * name and avatar, with a session token as the PDS wants one.
 */
import type { FastifyInstance } from 'fastify';
import { queryOf } from '../../http/answer';
import { MockWorld } from '../../world';
import { blueskyFace, xrpcError } from './bluesky.face';

export function registerBlueskyProfile(app: FastifyInstance, world: MockWorld): void {
  const face = blueskyFace(world);
  app.get('/xrpc/app.bsky.actor.getProfile', (request, reply) =>
    world.gate.run(face, request, reply, () => {
      const repo = world.accounts.blueskyRepo(queryOf(request).actor);
      if (!repo) return xrpcError(400, 'InvalidRequest', 'Profile not found');
      const shown = world.profiles.of({ network: 'bluesky', handle: repo.handle });
      return {
        status: 200,
        body: {
          did: repo.did,
          handle: shown.handle,
          displayName: shown.displayName,
          avatar: `${world.url('bluesky')}${shown.avatarPath}`,
          followersCount: 0,
          followsCount: 0,
          postsCount: world.store.postsOf({ network: 'bluesky', handle: repo.handle }).length,
          indexedAt: '2024-01-01T00:00:00.000Z',
          createdAt: '2024-01-01T00:00:00.000Z',
        },
      };
    }),
  );
}
