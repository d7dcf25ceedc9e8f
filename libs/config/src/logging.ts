import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { DestinationStream } from 'pino';
import { HERALD_CONFIG, LOG_DESTINATION } from './config.module';
import { HeraldConfig, LogLevel } from './herald-config';

/** pino's name for a LOG_LEVEL (`verbose` is pino's `trace`). */
export function pinoLevel(level: LogLevel): string {
  return level === 'verbose' ? 'trace' : level;
}

/** Set by the API before pino-http sees the request (its request-id middleware and its auth guard). */
type LoggedRequest = IncomingMessage & { workspaceId?: string };

/**
 * JSON logs through pino (nestjs-pino), the same for every Herald process:
 * one line per event with the level's name, an ISO time and the service.
 * For HTTP, one line per request with its id (the caller's `X-Request-Id`
 * if sane, else a new one; the worker's lines for the deliveries a request
 * scheduled carry it too), method, path, status, time and workspace, and
 * never a header, a query string or a body, so no key or token reaches a log;
 * a path segment that is a secret (an invitation's token in
 * `/v1/invitations/:token`) is logged as `:token`.
 */
export function heraldLoggerModule(service: string): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [HERALD_CONFIG, LOG_DESTINATION],
    useFactory: (config: HeraldConfig, destination: DestinationStream | null) => {
      const options = {
        level: pinoLevel(config.logLevel),
        base: { service },
        timestamp: stdTimeFunctions.isoTime,
        formatters: { level: (label: string) => ({ level: label }) },
        genReqId: (request: IncomingMessage) => (request as Partial<IncomingMessage>).id ?? randomUUID(),
        customProps: (request: IncomingMessage) => ({ requestId: request.id, workspaceId: (request as LoggedRequest).workspaceId }),
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
          error || response.statusCode >= 500 ? 'error' : 'info',
        serializers: {
          req: (request: { method?: string; url?: string }) => ({ method: request.method, path: loggedPath(request.url) }),
          res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
        },
        autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health/live' || request.url === '/metrics' },
      };
      // Standard output, unless a test running the app in its own process collects the lines (test/support/in-process.ts).
      return { pinoHttp: destination ? ([options, destination] as [typeof options, DestinationStream]) : options };
    },
  });
}

/** The path of a request as logged: no query string, and no segment that looks like a token (32+ base64url characters, not a UUID). */
export function loggedPath(url: string | undefined): string | undefined {
  return url
    ?.split('?')[0]
    ?.split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{32,}$/.test(segment) && !/^[0-9a-f-]{36}$/i.test(segment) ? ':token' : segment))
    .join('/');
}
