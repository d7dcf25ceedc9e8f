import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApiMetrics } from './api-metrics';
import { HealthController } from './health.controller';
import { MetricsPort } from './metrics-port';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [ApiMetrics, MetricsPort],
  exports: [ApiMetrics],
})
export class HealthModule {}
