import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { HERALD_CONFIG, HeraldConfig, HeraldConfigModule, heraldLoggerModule } from '@herald/config';
import { DatabaseModule } from '@herald/db';
import { HeraldQueueModule } from '@herald/queue';
import { AdminModule } from './admin/admin.module';
import { ChannelsModule } from './channels/channels.module';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { ProblemFilter } from './common/problem.filter';
import { FailOpenRedisStorage, RateLimitGuard } from './common/rate-limit';
import { RequestMetricsInterceptor } from './common/request-metrics.interceptor';
import { HealthModule } from './health/health.module';
import { ChannelAdaptersModule } from '@herald/channels/channel-adapters.module';
import { NetworksController } from './networks/networks.controller';
import { PostsModule } from './posts/posts.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

@Module({
  imports: [
    HeraldConfigModule,
    heraldLoggerModule('herald-api'),
    DatabaseModule,
    HeraldQueueModule.forRole('producer'),
    ChannelAdaptersModule,
    WorkspacesModule,
    ChannelsModule,
    PostsModule,
    WebhooksModule,
    AdminModule,
    HealthModule,
    ThrottlerModule.forRootAsync({
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
        storage: new FailOpenRedisStorage(config.redisUrl, config.queuePrefix),
        skipIf: () => config.rateLimitPerMinute === 0,
      }),
    }),
  ],
  controllers: [NetworksController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_INTERCEPTOR, useClass: RequestMetricsInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
