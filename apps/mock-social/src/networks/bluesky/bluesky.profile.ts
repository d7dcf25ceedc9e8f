/**
 * `app.bsky.actor.getProfile?actor=<did or handle>` (the PDS proxies it to the
 * AppView; the mock answers it itself): the account's DID, handle, display
 * name, avatar and counts (`PUT /_mock/account-metrics`), with a session token as the PDS wants one.
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
          followersCount: world.accountMetrics.of('bluesky', repo.handle, 'followersCount'),
          followsCount: world.accountMetrics.of('bluesky', repo.handle, 'followsCount'),
          postsCount: world.accountMetrics.of('bluesky', repo.handle, 'postsCount', world.store.postsOf({ network: 'bluesky', handle: repo.handle }).length),
          indexedAt: '2024-01-01T00:00:00.000Z',
          createdAt: '2024-01-01T00:00:00.000Z',
        },
      };
    }),
  );
}
