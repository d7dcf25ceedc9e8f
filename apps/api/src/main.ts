/**
 * The HTTP API: JSON in and out, problem+json errors, graceful shutdown.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@herald/config';
import { AppModule } from './app.module';
import { requestId, requireJsonBody } from './common/request-id';
import { createValidationPipe } from './common/validation';
import { serveOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // The dashboard and the API docs load their own scripts and styles: no CSP there; the JSON API keeps helmet's defaults.
  const strictHeaders = helmet();
  const dashboardHeaders = helmet({ contentSecurityPolicy: false });
  app.use((request: Request, response: Response, next: NextFunction) =>
    (request.path.startsWith('/admin/ui') || request.path.startsWith('/docs') ? dashboardHeaders : strictHeaders)(request, response, next),
  );
  app.use(requestId, requireJsonBody);
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Answers are not cached by validators: no ETag to hash on every response.
  app.set('etag', false);
  app.enableShutdownHooks();
  serveOpenApi(app);
  await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  logger.log({ msg: `api listening on http://127.0.0.1:${config.port}`, port: config.port });
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
