import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { MockSocialModule } from './mock-social.module';

/** The mock networks as an app, for `main.ts` and for tests that start it in-process. */
export async function createMockSocialApp(options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(MockSocialModule, { logger: options.logger ?? ['error', 'warn'], bodyParser: false });
  app.useBodyParser('json', { limit: '5mb' });
  app.useBodyParser('urlencoded', { extended: true });
  // No ETag: hashing every answer cost a sixth of the mock's time per publish in the benchmark.
  app.set('etag', false);
  app.enableShutdownHooks();
  return app;
}
