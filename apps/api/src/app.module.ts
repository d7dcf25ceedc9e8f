import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { HERALD_CONFIG, HeraldConfig, HeraldConfigModule, heraldLoggerModule } from '@herald/config';
import { DatabaseModule } from '@herald/db';
import { HeraldQueueModule } from '@herald/queue';
import { AccessModule } from './access';
import { AdminModule } from './admin';
import { AuditModule } from './audit';
import { AnalyticsModule } from './analytics';
import { CalendarModule } from './calendar';
import { ChannelsModule } from './channels';
import { FeedsModule } from './feeds';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { ProblemFilter } from './common/problem.filter';
import { FailOpenRedisStorage, RateLimitGuard } from './common/rate-limit';
import { HealthModule, RequestMetricsInterceptor } from './health';
import { ChannelAdaptersModule } from '@herald/channels/channel-adapters.module';
import { McpModule } from './mcp';
import { MediaModule } from './media';
import { MembersModule } from './members';
import { NetworksController } from './networks';
import { PeopleModule } from './people';
import { PostsModule } from './posts';
import { TagsModule } from './tags';
import { WebhooksModule } from './webhooks';
import { WorkspacesModule } from './workspaces';

@Module({
  imports: [
    HeraldConfigModule,
    heraldLoggerModule('herald-api'),
    DatabaseModule,
    HeraldQueueModule.forRole('producer'),
    ChannelAdaptersModule,
    AccessModule,
    AuditModule,
    WorkspacesModule,
    PeopleModule,
    MembersModule,
    ChannelsModule,
    MediaModule,
    PostsModule,
    FeedsModule,
    CalendarModule,
    AnalyticsModule,
    TagsModule,
    WebhooksModule,
    AdminModule,
    HealthModule,
    McpModule,
    ThrottlerModule.forRootAsync({
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
        storage: new FailOpenRedisStorage(config.redis, config.queuePrefix),
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
