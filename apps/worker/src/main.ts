/**
 * The worker: a NestJS application context (no HTTP) running the BullMQ
 * processors. On SIGTERM it stops taking jobs, lets in-flight publishes
 * finish, then closes Redis and Postgres.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@herald/config';
import { WorkerMetrics } from './metrics/worker-metrics';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  const metricsPort = await app.get(WorkerMetrics).listen();
  logger.log({ msg: 'worker ready', concurrency: config.workerConcurrency, queuePrefix: config.queuePrefix, metricsPort });
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
