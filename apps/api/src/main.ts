/**
 * The HTTP API: JSON in and out, problem+json errors, graceful shutdown.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@herald/config';
import { NETWORKS_SLICE } from '@herald/channels';
import { MEDIA_SLICE } from '@herald/media';
import { findRedisAccessProblem } from '@herald/queue';
import { AppModule } from './app.module';
import { configureApi } from './http-app';

async function bootstrap(): Promise<void> {
  // Every setting checked before anything starts, the networks' slice with the rest.
  const config = loadConfig(process.env, [NETWORKS_SLICE, MEDIA_SLICE]);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const logger = app.get(Logger);
  configureApi(app, config);
  app.enableShutdownHooks();
  await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  logger.log({ msg: `api listening on http://127.0.0.1:${config.port}`, port: config.port });
  // Wrong credentials or an untrusted certificate: said once; the API keeps serving, unready (/health/ready 503), until Redis lets it in.
  void findRedisAccessProblem(config.redis).then((problem) => problem && logger.error({ msg: 'redis refused the api', problem }));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
