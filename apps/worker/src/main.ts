/**
 * The worker: a NestJS application context (no HTTP) running the BullMQ
 * processors. On SIGTERM (or SIGINT) it stops taking jobs, lets in-flight
 * publishes finish, then closes Redis and Postgres, says "worker stopped"
 * and exits with code 0.
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@herald/config';
import { NETWORKS_SLICE } from '@herald/channels';
import { MEDIA_SLICE } from '@herald/media';
import { checkRedisAccess } from '@herald/queue';
import { WorkerMetrics } from './metrics/worker-metrics';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // Every setting checked before anything starts, the networks' slice with the rest.
  const config = loadConfig(process.env, [NETWORKS_SLICE, MEDIA_SLICE]);
  // Wrong credentials or an untrusted certificate: said once, and the worker does not start (no reconnect mends them).
  await checkRedisAccess(config.redis);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  stopGracefullyOn(['SIGTERM', 'SIGINT'], app, logger, config.workerShutdownTimeoutMs);
  const metricsPort = await app.get(WorkerMetrics).listen();
  logger.log({ msg: 'worker ready', concurrency: config.workerConcurrency, queuePrefix: config.queuePrefix, metricsPort });
}

/**
 * Nest's shutdown hooks in their order (the BullMQ workers stop taking jobs
 * and wait for the ones in flight, then Redis and Postgres close), then exit
 * code 0. Not Nest's `enableShutdownHooks`: it re-raises the signal once the
 * hooks are done, so from outside a graceful stop looked the same as a kill
 * by that signal mid-publish; code 0 and the "worker stopped" line say that
 * nothing was cut short. A hook that fails: code 1. A second signal while
 * stopping is ignored, as Nest ignores it: the stop under way is what lets
 * the in-flight publishes finish (SIGKILL still ends the process at once).
 * A stop that has not finished within WORKER_SHUTDOWN_TIMEOUT (a Redis that
 * no longer answers: BullMQ's close waits on it without end) exits with
 * code 1 and says so; what was in flight is then recovered as after a crash
 * (its lease lapses and the delivery is looked up before any retry).
 */
function stopGracefullyOn(signals: NodeJS.Signals[], app: INestApplicationContext, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'worker stopping', signal });
    const late = setTimeout(() => {
      logger.error({ msg: 'worker shutdown timed out', signal, timeoutMs, detail: 'in-flight publishes or Redis and Postgres connections did not close in time: exiting anyway' });
      process.exit(1);
    }, timeoutMs);
    late.unref();
    try {
      await app.close();
    } catch (error: unknown) {
      logger.error({ msg: 'worker shutdown failed', signal, error: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    }
    logger.log({ msg: 'worker stopped', signal });
    process.exit(0);
  };
  for (const signal of signals) process.on(signal, () => void stop(signal));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
