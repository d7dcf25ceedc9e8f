import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, type LogFn, type Logger, destination, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { HERALD_CONFIG, LOG_DESTINATION } from './config.module';
import { HeraldConfig, LogLevel } from './herald-config';
import { prettyDestination } from './pretty-log';

/** pino's name for a LOG_LEVEL (`verbose` is pino's `trace`). */
export function pinoLevel(level: LogLevel): string {
  return level === 'verbose' ? 'trace' : level;
}

/** Set by the API before pino-http sees the request (its request-id middleware and its auth guard). */
type LoggedRequest = IncomingMessage & { workspaceId?: string };

/**
 * Logs through pino (nestjs-pino), the same for every Herald process: one
 * line per event with the level's name, an ISO time and the service, as JSON
 * (LOG_FORMAT=json, the default outside development) or as a short readable
 * line (LOG_FORMAT=pretty, see pretty-log.ts).
 * For HTTP, one line per request at `debug` (`error` for a 5xx), so it shows
 * with LOG_LEVEL=debug: its id (the caller's `X-Request-Id`
 * if sane, else a new one; the worker's lines for the deliveries a request
 * scheduled carry it too), method, path, status, time and workspace, and
 * never a header, a query string or a body, so no key or token reaches a log;
 * a path segment that is a secret (an invitation's token in
 * `/v1/invitations/:token`) is logged as `:token`.
 * Nest's own start-up lines (each module loaded, each route mapped) are
 * `debug` too: at `info` a start says only what it did.
 */
export function heraldLoggerModule(service: string): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [HERALD_CONFIG, LOG_DESTINATION],
    // Standard output, unless a test running the app in its own process collects the lines (test/support/in-process.ts).
    useFactory: (config: HeraldConfig, collected: DestinationStream | null) => ({
      pinoHttp: heraldPinoHttp(config, service, collected ? (collected as unknown as Pick<Writable, 'write'>) : process.stdout),
    }),
  });
}

/** pino-http's options and where its lines go, for a LOG_LEVEL and LOG_FORMAT; `target` is stdout but in tests. */
export function heraldPinoHttp(
  config: Pick<HeraldConfig, 'logLevel' | 'logFormat'>,
  service: string,
  target: Pick<Writable, 'write'> & { isTTY?: boolean } = process.stdout,
): [Options, DestinationStream] {
  const options: Options = {
    level: pinoLevel(config.logLevel),
    base: { service },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    hooks: { logMethod: quietNestStartup },
    genReqId: (request: IncomingMessage) => (request as Partial<IncomingMessage>).id ?? randomUUID(),
    customProps: (request: IncomingMessage) => ({ requestId: request.id, workspaceId: (request as LoggedRequest).workspaceId }),
    customLogLevel: requestLogLevel,
    serializers: {
      req: (request: { method?: string; url?: string }) => ({ method: request.method, path: loggedPath(request.url) }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
    autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health/live' || request.url === '/metrics' },
  };
  const stream = config.logFormat === 'pretty' ? prettyDestination(target) : target === process.stdout ? destination(1) : (target as DestinationStream);
  return [options, stream];
}

/** A request's line: `error` when it failed (5xx), else `debug`. */
export function requestLogLevel(_request: IncomingMessage, response: ServerResponse, error?: Error): 'error' | 'debug' {
  return error || response.statusCode >= 500 ? 'error' : 'debug';
}

/** Nest's framework classes whose `info` lines only narrate its start (modules loaded, routes mapped). */
const NEST_STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** pino's logMethod hook: an `info` line from Nest's start-up is written at `debug` instead. */
function quietNestStartup(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number): void {
  const first: unknown = args[0];
  const context = first !== null && typeof first === 'object' ? (first as { context?: unknown }).context : undefined;
  if (level === 30 && typeof context === 'string' && NEST_STARTUP_CONTEXTS.has(context)) {
    (this.debug as (...rest: unknown[]) => void)(...args);
    return;
  }
  (method as (...rest: unknown[]) => void).apply(this, args);
}

/** The path of a request as logged: no query string, and no segment that looks like a token (32+ base64url characters, not a UUID). */
export function loggedPath(url: string | undefined): string | undefined {
  return url
    ?.split('?')[0]
    ?.split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{32,}$/.test(segment) && !/^[0-9a-f-]{36}$/i.test(segment) ? ':token' : segment))
    .join('/');
}
