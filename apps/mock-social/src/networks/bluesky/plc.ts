/**
 * The PLC directory the mock's Bluesky accounts live in, at an origin of
 * its own as plc.directory is: `GET /<did>` answers the account's DID
 * document (handle in `alsoKnownAs`, the mock's Bluesky origin as its
 * `#atproto_pds`), for every DID whose handle the mock has seen.
 */
import type { FastifyInstance } from 'fastify';
import { send } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { MockWorld } from '../../world';
import { didDocOf } from './bluesky.face';

export const PLC_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, _kind, message) => ({ message }),
  rateLimitHeaders: () => ({}),
  usualLimit: { limit: 500, windowSeconds: 300 },
};

export function registerPlc(app: FastifyInstance, world: MockWorld): void {
  app.get<{ Params: { did: string } }>('/:did', (request, reply) => {
    const did = request.params.did;
    const handle = world.accounts.blueskyHandleOf(did);
    if (!handle) return send(reply, { status: 404, body: { message: `DID not registered: ${did}` } });
    send(reply, { status: 200, body: didDocOf(world, handle, did) });
  });
}
