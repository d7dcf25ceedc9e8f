import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { PostMetricsController } from './post-metrics.controller';
import { RefreshMetricsUseCase } from './usecases/refresh-metrics.usecase';

/** Analytics (docs/analytics.md): each post's snapshots, a refresh, and the workspace's aggregates. The worker takes the snapshots. */
@Module({
  controllers: [AnalyticsController, PostMetricsController],
  providers: [AnalyticsService, RefreshMetricsUseCase],
})
export class AnalyticsModule {}
