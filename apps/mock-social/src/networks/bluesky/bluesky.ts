/** Bluesky at its own origin: the PDS's XRPC (sessions, identity, repository); unknown methods answer 501 as a PDS does. */
import type { FastifyInstance } from 'fastify';
import { MockWorld } from '../../world';
import { registerBlueskyFeed } from './bluesky.feed';
import { registerBlueskyProfile } from './bluesky.profile';
import { registerBlueskyRepo } from './bluesky.repo';
import { registerBlueskySessions } from './bluesky.session';

export function registerBluesky(app: FastifyInstance, world: MockWorld): void {
  registerBlueskySessions(app, world);
  registerBlueskyRepo(app, world);
  registerBlueskyProfile(app, world);
  registerBlueskyFeed(app, world);
}

export function blueskyNotFound(url: string): { status: number; body: unknown } {
  return url.startsWith('/xrpc/')
    ? { status: 501, body: { error: 'MethodNotImplemented', message: 'Method Not Implemented' } }
    : { status: 404, body: { error: 'NotFound', message: 'Not Found' } };
}
