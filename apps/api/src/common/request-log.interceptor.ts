import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import { ApiMetrics } from '../health/api-metrics';
import { AuthenticatedRequest } from './auth';

/** One JSON log line per request: method, route, status, duration, request id, workspace. Never headers or bodies. */
@Injectable()
export class RequestLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('http');

  constructor(private readonly metrics: ApiMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const started = process.hrtime.bigint();
    const log = (status: number) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.httpDuration.observe({ method: request.method, route: request.route?.path ?? 'unmatched', status: String(status) }, seconds);
      this.logger.log({
        msg: 'request',
        requestId: request.id,
        method: request.method,
        route: request.route?.path ?? request.path,
        status,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        workspaceId: request.workspaceId,
      });
    };
    return next.handle().pipe(
      tap({
        next: () => log(context.switchToHttp().getResponse<Response>().statusCode),
        error: (error: { status?: number; getStatus?: () => number }) => log(error.status ?? error.getStatus?.() ?? 500),
      }),
    );
  }
}
