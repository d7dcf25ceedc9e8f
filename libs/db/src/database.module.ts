import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { dataSourceOptions, databaseSettings } from './data-source';
import { ApiKeysRepository } from './repositories/api-keys.repository';
import { ApprovalNoticesRepository } from './repositories/approval-notices.repository';
import { AttemptsRepository } from './repositories/attempts.repository';
import { AuditEventsRepository } from './repositories/audit-events.repository';
import { CalendarRepository } from './repositories/calendar.repository';
import { ChannelsRepository } from './repositories/channels.repository';
import { ChannelAvatarsRepository } from './repositories/channel-avatars.repository';
import { ChannelGroupsRepository } from './repositories/channel-groups.repository';
import { DeliveriesRepository } from './repositories/deliveries.repository';
import { IdempotencyRecordsRepository } from './repositories/idempotency-records.repository';
import { InvitationsRepository } from './repositories/invitations.repository';
import { MastodonAppsRepository } from './repositories/mastodon-apps.repository';
import { MediaRepository } from './repositories/media.repository';
import { MembersRepository } from './repositories/members.repository';
import { OAuthFlowsRepository } from './repositories/oauth-flows.repository';
import { PasswordResetsRepository } from './repositories/password-resets.repository';
import { PostStatuses } from './repositories/post-statuses';
import { PostsRepository } from './repositories/posts.repository';
import { SeriesRepository } from './repositories/series.repository';
import { TagsRepository } from './repositories/tags.repository';
import { SessionsRepository } from './repositories/sessions.repository';
import { SignInFailuresRepository } from './repositories/sign-in-failures.repository';
import { UsersRepository } from './repositories/users.repository';
import { WebhookDeliveriesRepository } from './repositories/webhook-deliveries.repository';
import { WebhookEndpointsRepository } from './repositories/webhook-endpoints.repository';
import { WebhookEventsRepository } from './repositories/webhook-events.repository';
import { WorkspacesRepository } from './repositories/workspaces.repository';
import { MetricsRepository } from './repositories/metrics.repository';
import { PostImportRowsRepository } from './repositories/post-import-rows.repository';
import { FeedsRepository } from './repositories/feeds.repository';
import { FeedItemsRepository } from './repositories/feed-items.repository';
import { UnpublishRepository } from './repositories/unpublish.repository';
import { TokenCipher } from './secrets/token-cipher';

export const REPOSITORIES = [
  ApiKeysRepository,
  ApprovalNoticesRepository,
  AttemptsRepository,
  AuditEventsRepository,
  CalendarRepository,
  ChannelsRepository,
  ChannelAvatarsRepository,
  ChannelGroupsRepository,
  DeliveriesRepository,
  IdempotencyRecordsRepository,
  InvitationsRepository,
  MastodonAppsRepository,
  MediaRepository,
  MembersRepository,
  MetricsRepository,
  OAuthFlowsRepository,
  PasswordResetsRepository,
  PostsRepository,
  PostImportRowsRepository,
  FeedsRepository,
  FeedItemsRepository,
  SeriesRepository,
  SessionsRepository,
  SignInFailuresRepository,
  TagsRepository,
  UnpublishRepository,
  UsersRepository,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  WebhookEventsRepository,
  WorkspacesRepository,
];

/** The Postgres connection of a process, from the config, its repositories and the token cipher. Migrations are never run here. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => ({
        ...dataSourceOptions(databaseSettings(config, 'herald', 20)),
        // Keep trying at boot: Postgres may still be starting next to us.
        retryAttempts: 30,
        retryDelay: 1000,
      }),
      dataSourceFactory: async (options) => new DataSource(options!).initialize(),
    }),
  ],
  providers: [
    ...REPOSITORIES,
    PostStatuses,
    { provide: TokenCipher, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig) => new TokenCipher(config.encryptionKeys) },
  ],
  exports: [TypeOrmModule, TokenCipher, PostStatuses, ...REPOSITORIES],
})
export class DatabaseModule {}
