/** The mock social networks, for development, tests and demos: the control surface and one origin per network. */
import { readConfig } from './config';
import { startMock } from './servers';

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const mock = await startMock(config);
  const networks = ['x', 'bluesky', 'mastodon-one', 'mastodon-two', 'linkedin', 'threads', 'instagram', 'facebook', 'plc'] as const;
  const urls = Object.fromEntries(networks.map((name) => [name, mock.world.url(name)]));
  console.log(
    config.logFormat === 'pretty'
      ? `mock-social listening on ${mock.controlUrl} (${networks.length} networks; ${mock.controlUrl}/_mock/networks lists where)`
      : JSON.stringify({ level: 'log', context: 'mock-social', message: `mock-social listening on ${mock.controlUrl}`, networks: urls }),
  );
  const stop = () => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
