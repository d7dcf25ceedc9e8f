/**
 * What makes the Nest application the HTTP API, whoever created it: main.ts
 * for the process, the medium tests (test/support/in-process.ts) for an API
 * inside the test. Headers, request ids, the JSON body parser and its
 * checks, validation, the OpenAPI document and the web app.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { HeraldConfig } from '@herald/config';
import { checkRawJsonBody } from './common/json-body-limits';
import { requestId, requireJsonBody } from './common/request-id';
import { refuseUnstorableInput } from './common/storable-input';
import { createValidationPipe } from './common/validation';
import { McpCatalog } from './mcp';
import { serveOpenApi } from './openapi';
import { isApiPath, serveWebApp, webAppHeaders } from './web-app';

/** Made with `bufferLogs: true, bodyParser: false`: the API's logger, middleware, pipes and routes. */
export function configureApi(app: NestExpressApplication, config: HeraldConfig): void {
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
  app.use('/oauth', urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }));
  app.useGlobalPipes(createValidationPipe());
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Answers are not cached by validators: no ETag to hash on every response.
  app.set('etag', false);
  app.get(McpCatalog).load(serveOpenApi(app));
  serveWebApp(app);
}
