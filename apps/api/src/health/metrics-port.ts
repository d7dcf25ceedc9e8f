import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ApiMetrics } from './api-metrics';

/**
 * The API's metrics on a port of their own (METRICS_PORT), without the admin
 * token: for a Prometheus inside a private network, where the port is not
 * published. Unset, no such port opens and /metrics is only served on the
 * API's port, behind the admin token. Serves GET /metrics and nothing else.
 */
@Injectable()
export class MetricsPort implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsPort.name);
  private server?: Server;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly metrics: ApiMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === undefined) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.metrics.registry
        .metrics()
        .then((text) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text))
        .catch((error: unknown) => response.writeHead(503).end(String(error)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.server = server;
    this.logger.log({ msg: 'metrics listening on a port of their own', metricsPort: (server.address() as AddressInfo).port, host });
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
