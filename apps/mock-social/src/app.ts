import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { MockSocialModule } from './mock-social.module';

/**
 * The mock networks as an app, for `main.ts` and for tests that start it in-process.
 * On Fastify: the mock shares the benchmark's two cores with what it measures, and
 * answered a publish for about half the CPU Express took. (Nest's adapter parses
 * JSON and form bodies itself.)
 */
export async function createMockSocialApp(options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(MockSocialModule, new FastifyAdapter({ bodyLimit: 5 * 1024 * 1024 }), {
    logger: options.logger ?? ['error', 'warn'],
  });
  app.enableShutdownHooks();
  return app;
}
