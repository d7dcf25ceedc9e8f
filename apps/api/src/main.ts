/**
 * The HTTP API: JSON in and out, problem+json errors, graceful shutdown.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@herald/config';
import { findRedisAccessProblem } from '@herald/queue';
import { AppModule } from './app.module';
import { checkRawJsonBody } from './common/json-body-limits';
import { requestId, requireJsonBody } from './common/request-id';
import { refuseUnstorableInput } from './common/storable-input';
import { createValidationPipe } from './common/validation';
import { serveOpenApi } from './openapi';
import { isApiPath, serveWebApp, webAppHeaders } from './web-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // The dashboard and the API docs load their own scripts and styles: no CSP there; the JSON API keeps helmet's defaults;
  // the web app gets its own (see web-app.ts).
  const strictHeaders = helmet();
  const dashboardHeaders = helmet({ contentSecurityPolicy: false });
  const webHeaders = webAppHeaders(config.publicUrl);
  const headersFor = (path: string) =>
    path.startsWith('/admin/ui') || path.startsWith('/docs') ? dashboardHeaders : isApiPath(path) ? strictHeaders : webHeaders;
  app.use((request: Request, response: Response, next: NextFunction) => headersFor(request.path)(request, response, next));
  app.use(requestId, requireJsonBody);
  // Express's own JSON parser (Nest's useBodyParser keeps `verify` to itself): the raw body's depth
  // and encoding are checked before it is parsed, then every string that reached the API, before
  // routing, guards or validation.
  app.use(json({ limit: '1mb', type: ['application/json', 'application/*+json'], verify: checkRawJsonBody }), refuseUnstorableInput);
  app.useGlobalPipes(createValidationPipe());
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Answers are not cached by validators: no ETag to hash on every response.
  app.set('etag', false);
  app.enableShutdownHooks();
  serveOpenApi(app);
  serveWebApp(app);
  await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  logger.log({ msg: `api listening on http://127.0.0.1:${config.port}`, port: config.port });
  // Wrong credentials or an untrusted certificate: said once; the API keeps serving, unready (/health/ready 503), until Redis lets it in.
  void findRedisAccessProblem(config.redis).then((problem) => problem && logger.error({ msg: 'redis refused the api', problem }));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
