/**
 * Bluesky sessions and identity: `createSession` (any handle exists; an app
 * password in the real format `xxxx-xxxx-xxxx-xxxx` is accepted),
 * `refreshSession` (the refresh JWT as bearer; it rotates: the old one is
 * refused at once), `getSession`, `deleteSession`, `resolveHandle`,
 * `describeServer`. Sessions answer with a DID document naming this mock
 * as the account's PDS.
 */
import type { FastifyInstance } from 'fastify';
import { normalHandle } from '../../accounts';
import { fieldsOf, queryOf, send } from '../../http/answer';
import { MockWorld } from '../../world';
import { blueskyFace, checkSessionToken, didDocOf, issueSession, xrpcError } from './bluesky.face';

const APP_PASSWORD = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/;
const REFUSED = xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');

export function registerBlueskySessions(app: FastifyInstance, world: MockWorld): void {
  const face = blueskyFace(world);
  const session = (handle: string) => {
    const { accessJwt, refreshJwt, did } = issueSession(world, handle);
    // The handle the account goes by now (a renamed one's new handle; its DID and tokens stay).
    const current = world.profiles.of({ network: 'bluesky', handle }).handle;
    return { accessJwt, refreshJwt, handle: current, did, didDoc: didDocOf(world, current, did), emailConfirmed: false, emailAuthFactor: false, active: true };
  };

  app.post('/xrpc/com.atproto.server.createSession', (request, reply) => {
    const { identifier, password } = fieldsOf(request);
    if (typeof identifier !== 'string') return send(reply, xrpcError(400, 'InvalidRequest', 'Input must have the property "identifier"'));
    if (typeof password !== 'string') return send(reply, xrpcError(400, 'InvalidRequest', 'Input must have the property "password"'));
    // A handle names the account it resolves to (a renamed account's new handle too).
    const handle = identifier.startsWith('did:') ? world.accounts.blueskyHandleOf(identifier) : world.accounts.blueskyRepo(identifier)?.handle;
    const refused = !handle || !APP_PASSWORD.test(password);
    world.tokenCalls.record('bluesky', undefined, 'createSession', refused);
    send(reply, refused ? REFUSED : { status: 200, body: session(handle) });
  });

  app.post('/xrpc/com.atproto.server.refreshSession', (request, reply) => {
    const outcome = checkSessionToken(world, request, 'refresh+jwt');
    world.tokenCalls.record('bluesky', undefined, 'refreshSession', !('account' in outcome));
    if (!('account' in outcome)) return send(reply, outcome.refusal);
    world.tokens.markUsed(request.headers.authorization!.replace(/^Bearer\s+/i, ''));
    send(reply, { status: 200, body: session(outcome.account.handle) });
  });

  app.post('/xrpc/com.atproto.server.deleteSession', (request, reply) => {
    const outcome = checkSessionToken(world, request, 'refresh+jwt');
    if (!('account' in outcome)) return send(reply, outcome.refusal);
    world.tokens.revoke(request.headers.authorization!.replace(/^Bearer\s+/i, ''));
    send(reply, { status: 200 });
  });

  app.get('/xrpc/com.atproto.server.getSession', (request, reply) => {
    const outcome = face.authenticate(request);
    if (!('account' in outcome)) return send(reply, outcome.refusal);
    const { handle } = outcome.account;
    const did = world.accounts.blueskyDid(handle);
    send(reply, { status: 200, body: { handle, did, didDoc: didDocOf(world, handle, did), emailConfirmed: false, emailAuthFactor: false, active: true } });
  });

  app.get('/xrpc/com.atproto.identity.resolveHandle', (request, reply) => {
    const handle = normalHandle(queryOf(request).handle);
    if (!handle) return send(reply, xrpcError(400, 'InvalidRequest', 'Error: handle must be a valid handle'));
    send(reply, { status: 200, body: { did: world.accounts.blueskyDid(handle) } });
  });

  app.get('/xrpc/com.atproto.server.describeServer', (_request, reply) => {
    send(reply, { status: 200, body: { did: `did:web:${world.config.publicHost}`, availableUserDomains: ['.bsky.social', '.test'], inviteCodeRequired: false, links: {}, contact: {} } });
  });
}
