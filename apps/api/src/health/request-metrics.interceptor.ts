import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import { ApiMetrics } from './api-metrics';
import type { AuthenticatedRequest } from '../access';

/**
 * Times every request for the HTTP duration histogram, by route and status.
 * (The request's log line is pino-http's; see heraldLoggerModule.)
 */
@Injectable()
export class RequestMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ApiMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const started = process.hrtime.bigint();
    const observe = (status: number) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.httpDuration.observe({ method: request.method, route: request.route?.path ?? 'unmatched', status: String(status) }, seconds);
    };
    return next.handle().pipe(
      tap({
        next: () => observe(context.switchToHttp().getResponse<Response>().statusCode),
        error: (error: { status?: number; getStatus?: () => number }) => observe(error.status ?? error.getStatus?.() ?? 500),
      }),
    );
  }
}
