/** The mock social networks, for development, tests and demos. */
import 'reflect-metadata';
import { createMockSocialApp } from './app';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.MOCK_SOCIAL_PORT ?? 4010);
  const host = process.env.MOCK_SOCIAL_HOST ?? '127.0.0.1';
  const app = await createMockSocialApp();
  await app.listen(port, host);
  console.log(JSON.stringify({ level: 'log', context: 'mock-social', message: `mock-social listening on http://${host}:${port}` }));
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
