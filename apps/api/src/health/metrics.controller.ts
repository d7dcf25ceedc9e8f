import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiMetrics } from './api-metrics';

/** Prometheus scrape endpoint of the API (the worker serves its own on WORKER_METRICS_PORT). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
