import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Problem } from './problems';

const PROBLEM_BASE = 'https://herald.dev/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  requestId?: string;
}

/**
 * The one place errors become HTTP answers: RFC 9457 problem+json, with
 * `errors: [{path, message}]` for validation. Unknown errors are 500 without
 * internals; a lost database or Redis connection is 503, never 500.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const { body, headers } = this.toProblem(exception);
    body.instance = request.originalUrl?.split('?')[0];
    body.requestId = request.id;
    if (body.status >= 500) {
      this.logger.error({ msg: 'request failed', requestId: request.id, status: body.status, error: describe(exception) });
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): { body: ProblemBody; headers: Record<string, string> } {
    if (exception instanceof Problem) return { body: problemBodyOf(exception), headers: exception.headers };
    if (exception instanceof HttpException) return { body: fromHttpException(exception), headers: {} };
    const clientError = httpClientError(exception);
    if (clientError) return { body: clientError, headers: {} };
    if (isRetryableConflict(exception)) {
      return {
        body: {
          type: PROBLEM_BASE + 'try-again',
          title: 'Service unavailable',
          status: 503,
          detail: 'The request collided with concurrent work on the same data; try again.',
        },
        headers: { 'Retry-After': '1' },
      };
    }
    if (isInfrastructureOutage(exception)) {
      return {
        body: {
          type: PROBLEM_BASE + 'service-unavailable',
          title: 'Service unavailable',
          status: 503,
          detail: 'A backing service (Postgres or Redis) is unavailable; try again shortly.',
        },
        headers: { 'Retry-After': '5' },
      };
    }
    return {
      body: { type: PROBLEM_BASE + 'internal-error', title: 'Internal error', status: 500, detail: 'Something went wrong on our side.' },
      headers: {},
    };
  }
}

/** A domain error as its answer's body says it (without the request's instance and id). */
export function problemBodyOf(problem: Problem): ProblemBody {
  return {
    type: PROBLEM_BASE + problem.slug,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

function fromHttpException(exception: HttpException): ProblemBody {
  const status = exception.getStatus();
  const raw = exception.getResponse();
  let detail = exception.message;
  if (typeof raw === 'object' && raw !== null && 'message' in raw) {
    const message = (raw as { message: unknown }).message;
    detail = Array.isArray(message) ? message.join('; ') : String(message);
  }
  // Express's body parser reports bad JSON and oversized bodies as HttpExceptions-like errors.
  const title = TITLES[status] ?? (status >= 500 ? 'Internal error' : 'Request error');
  if (status === 400 && /JSON/i.test(detail)) detail = `The body is not valid JSON: ${detail}`;
  return { type: PROBLEM_BASE + title.toLowerCase().replace(/[^a-z0-9]+/g, '-'), title, status, detail };
}

const TITLES: Record<number, string> = {
  400: 'Malformed request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Errors of Express's body parser (http-errors): too large, bad JSON, unsupported charset. */
function httpClientError(error: unknown): ProblemBody | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, type, message } = error as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  const title = TITLES[status] ?? 'Request error';
  const detail = type === 'entity.too.large' ? 'The body is larger than the 1 MB this API accepts' : String(message);
  return { type: PROBLEM_BASE + title.toLowerCase().replace(/[^a-z0-9]+/g, '-'), title, status, detail };
}

const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

/** Postgres gave up on a transaction to break a deadlock or a serialization conflict: safe to retry. */
function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001' || code === '55P03';
}

/** Postgres or Redis went away: a condition to wait out (503), not a bug (500). */
function isInfrastructureOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string' && OUTAGE_CODES.has(code)) return true;
  const text = `${String(name)} ${String(message)}`;
  return /Connection terminated|connection timeout|Connection is closed|timeout exceeded when trying to connect|Stream isn't writeable|ECONNREFUSED|MaxRetriesPerRequestError|Reached the max retries|the database system is (starting|shutting) up|terminating connection/i.test(
    text,
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
