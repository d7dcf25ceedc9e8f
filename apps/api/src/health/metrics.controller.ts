import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminTokenGuard } from '../access';
import { ApiRoute } from '../common/api-docs';
import { ApiMetrics } from './api-metrics';

/**
 * Prometheus scrape endpoint of the API, behind the admin token (the process
 * and route figures are the operator's); METRICS_PORT serves the same
 * without it on a port of its own (metrics-port.ts). The worker serves its
 * own on WORKER_METRICS_PORT.
 */
@ApiTags('Health')
@Controller('metrics')
@UseGuards(AdminTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  @ApiRoute('getMetrics', 'Prometheus metrics of the API', 'HTTP request durations by route and status, and process metrics; the admin token as a Bearer token (or without it on METRICS_PORT, when set). The worker serves its own on WORKER_METRICS_PORT.')
  @ApiResponse({ status: 200, description: 'The Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
