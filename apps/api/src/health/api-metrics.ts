import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API's Prometheus metrics: request duration by route template and status, password hashes, plus the process's own. */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'herald_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Every password hash a request had the API work out (sign-in, sign-up, a change, a reset): the costly work guessing would multiply. */
  readonly passwordHashes = new Counter({
    name: 'herald_password_hashes_total',
    help: 'Password hashes worked out for requests, by what they were for',
    labelNames: ['purpose'] as const,
    registers: [this.registry],
  });

  /** Requests answered 429 because as many hashes as allowed were already in flight (overall, for the account or from the address). */
  readonly passwordHashesRefused = new Counter({
    name: 'herald_password_hashes_refused_total',
    help: 'Requests refused (429) because too many password hashes were in flight, by which bound was full',
    labelNames: ['bound'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'herald_api_' });
  }
}
