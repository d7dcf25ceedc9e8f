/**
 * Starts the mock: the control surface at MOCK_SOCIAL_PORT and every
 * network (two Mastodon instances, and Bluesky's PLC directory) at an origin
 * of its own: MOCK_SOCIAL_PORT + 1..9 by default, or each on a free port
 * (MOCK_SOCIAL_NETWORK_PORTS=0). All in one process, sharing one memory.
 */
import type { FastifyInstance } from 'fastify';
import { MockConfig } from './config';
import { registerControl } from './control/control.routes';
import { createOriginServer } from './http/server';
import { ORIGINS, Origin } from './networks';
import { registerBluesky, blueskyNotFound } from './networks/bluesky/bluesky';
import { BLUESKY_ERRORS } from './networks/bluesky/bluesky.face';
import { PLC_ERRORS, registerPlc } from './networks/bluesky/plc';
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
  try {
    for (const origin of ORIGINS) {
      const port = config.networkPorts === 'free' ? 0 : config.port + origin.offset;
      const app = originServer(origin, world);
      servers.push(app);
      world.setUrl(origin.name, await listen(app, config, port));
    }
    const control = createOriginServer({ invalidStatus: 400, body: (_status, _kind, message) => ({ error: message }), rateLimitHeaders: () => ({}) });
    registerControl(control, world);
    servers.push(control);
    const controlUrl = await listen(control, config, config.port);
    return { world, controlUrl, close: async () => void (await Promise.all(servers.map((server) => server.close()))) };
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
}

function originServer(origin: Origin, world: MockWorld): FastifyInstance {
  switch (origin.name) {
    case 'x':
      return built(createOriginServer(X_ERRORS), (app) => registerX(app, world));
    case 'bluesky':
      return built(createOriginServer(BLUESKY_ERRORS, blueskyNotFound), (app) => registerBluesky(app, world));
    case 'plc':
      return built(createOriginServer(PLC_ERRORS), (app) => registerPlc(app, world));
    case 'mastodon-one':
    case 'mastodon-two': {
      const app = createOriginServer(MASTODON_ERRORS);
      // The instance's URL is known once it listens; read it then.
      const instance: MastodonInstance = {
        name: origin.instance!,
        get url() {
          return world.url(origin.name);
        },
        maxCharacters: 500,
        maxMediaAttachments: 4,
      };
      registerMastodon(app, world, instance);
      return app;
    }
    case 'linkedin':
      return built(createOriginServer(LINKEDIN_ERRORS), (app) => registerLinkedIn(app, world));
    case 'threads':
      return built(createOriginServer(GRAPH_ERRORS), (app) => registerThreads(app, world));
    case 'instagram':
      return built(createOriginServer(GRAPH_ERRORS), (app) => registerInstagram(app, world));
    case 'facebook':
      return built(createOriginServer(GRAPH_ERRORS), (app) => registerFacebook(app, world));
  }
}

function built(app: FastifyInstance, register: (app: FastifyInstance) => void): FastifyInstance {
  register(app);
  return app;
}

async function listen(app: FastifyInstance, config: MockConfig, port: number): Promise<string> {
  await app.listen({ port, host: config.host });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const host = config.publicHost.includes(':') ? `[${config.publicHost}]` : config.publicHost;
  return `http://${host}:${actual}`;
}
