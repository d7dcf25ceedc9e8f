/**
 * Starts the mock: the control surface at MOCK_SOCIAL_PORT and every
 * network (two Mastodon instances, and Bluesky's PLC directory) at an origin
 * of its own: MOCK_SOCIAL_PORT + 1..9 by default, or each on a free port
 * (MOCK_SOCIAL_NETWORK_PORTS=0). All in one process, sharing one memory;
 * every call to a network origin is written to the call log.
 */
import type { FastifyInstance } from 'fastify';
import { MockConfig } from './config';
import { registerControl } from './control/control.routes';
import { registerAvatars, registerProfileControl } from './profiles';
import { ErrorFormat, createOriginServer } from './http/server';
import { ORIGINS, Origin, OriginName } from './networks';
import { MORE_MOCK_LIST, MoreMockNetwork } from './networks/more';
import { registerBluesky, blueskyNotFound } from './networks/bluesky/bluesky';
import { BLUESKY_ERRORS } from './networks/bluesky/bluesky.face';
import { PLC_ERRORS, registerPlc } from './networks/bluesky/plc';
import { loadIpld } from './networks/bluesky/record-cid';
import { registerFacebook } from './networks/facebook/facebook';
import { registerInstagram } from './networks/instagram/instagram';
import { LINKEDIN_ERRORS } from './networks/linkedin/linkedin.face';
import { registerLinkedIn } from './networks/linkedin/linkedin.routes';
import { MASTODON_ERRORS, MastodonInstance } from './networks/mastodon/mastodon.face';
import { registerMastodon } from './networks/mastodon/mastodon.routes';
import { GRAPH_ERRORS } from './networks/meta/graph';
import { registerThreads } from './networks/threads/threads';
import { X_ERRORS } from './networks/x/x.face';
import { registerX } from './networks/x/x.routes';
import { MockWorld } from './world';

export interface RunningMock {
  world: MockWorld;
  controlUrl: string;
  close(): Promise<void>;
}

export async function startMock(config: MockConfig): Promise<RunningMock> {
  const world = new MockWorld(config);
  const servers: FastifyInstance[] = [];
  // The IPLD libraries Bluesky's record CIDs need, loaded before the first createRecord can ask.
  await loadIpld();
  try {
    for (const origin of ORIGINS) {
      const port = config.networkPorts === 'free' ? 0 : config.port + origin.offset;
      const app = originServer(origin, world);
      servers.push(app);
      world.setUrl(origin.name, await listen(app, config, port));
    }
    const control = createOriginServer({ invalidStatus: 400, body: (_status, _kind, message) => ({ error: message }), rateLimitHeaders: () => ({}), usualLimit: { limit: 1, windowSeconds: 1 } });
    registerControl(control, world);
    registerProfileControl(control, world);
    servers.push(control);
    const controlUrl = await listen(control, config, config.port);
    return { world, controlUrl, close: async () => void (await Promise.all(servers.map((server) => server.close()))) };
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
}

/** One origin's server: its network's error format, the call log watching it (before any route), then its routes. */
function originServer(origin: Origin, world: MockWorld): FastifyInstance {
  const app = createOriginServer(ERRORS[origin.name], origin.name === 'bluesky' ? blueskyNotFound : undefined, BODY_LIMITS[origin.name]);
  world.calls.watch(app, { network: origin.network ?? origin.name, ...(origin.instance ? { instance: origin.instance } : {}) });
  register(origin, app, world);
  registerAvatars(app);
  return app;
}

const ERRORS: Record<OriginName, ErrorFormat> = {
  x: X_ERRORS,
  bluesky: BLUESKY_ERRORS,
  plc: PLC_ERRORS,
  'mastodon-one': MASTODON_ERRORS,
  'mastodon-two': MASTODON_ERRORS,
  linkedin: LINKEDIN_ERRORS,
  threads: GRAPH_ERRORS,
  instagram: GRAPH_ERRORS,
  facebook: GRAPH_ERRORS,
  ...(Object.fromEntries(MORE_MOCK_LIST.map((module) => [module.name, module.errors])) as Record<MoreMockNetwork, ErrorFormat>),
};

/**
 * Bodies larger than the default 16 MiB: a Mastodon upload up to its video
 * limit (99 MB) and X's one-shot upload (a 15 MB GIF, base64 in a JSON body
 * as X's own SDK sends it), so the network's own 4xx answers what is too big.
 */
const BODY_LIMITS: Partial<Record<OriginName, number>> = {
  'mastodon-one': 110 * 1024 * 1024,
  'mastodon-two': 110 * 1024 * 1024,
  x: 32 * 1024 * 1024,
  ...Object.fromEntries(MORE_MOCK_LIST.flatMap((module) => (module.bodyLimit ? [[module.name, module.bodyLimit]] : []))),
};

function register(origin: Origin, app: FastifyInstance, world: MockWorld): void {
  switch (origin.name) {
    case 'x':
      return registerX(app, world);
    case 'bluesky':
      return registerBluesky(app, world);
    case 'plc':
      return registerPlc(app, world);
    case 'mastodon-one':
    case 'mastodon-two': {
      // The instance's URL is known once it listens; read it then.
      const instance: MastodonInstance = {
        name: origin.instance!,
        get url() {
          return world.url(origin.name);
        },
        maxCharacters: 500,
        maxMediaAttachments: 4,
      };
      return registerMastodon(app, world, instance);
    }
    case 'linkedin':
      return registerLinkedIn(app, world);
    case 'threads':
      return registerThreads(app, world);
    case 'instagram':
      return registerInstagram(app, world);
    case 'facebook':
      return registerFacebook(app, world);
    default:
      return MORE_MOCK_LIST.find((module) => module.name === origin.name)?.register(app, world);
  }
}

async function listen(app: FastifyInstance, config: MockConfig, port: number): Promise<string> {
  await app.listen({ port, host: config.host });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const host = config.publicHost.includes(':') ? `[${config.publicHost}]` : config.publicHost;
  return `http://${host}:${actual}`;
}
