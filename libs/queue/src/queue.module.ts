import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { bullConnection } from './connection';
import { PublishQueue } from './publish-queue';
import { WebhookQueue } from './webhook-queue';
import { UnpublishQueue } from './unpublish-queue';
import { NetworkCircuits } from './circuits';
import { ChannelBudgets } from './channel-budgets';
import { PublishShards, REDIS_ROLE } from './publish-shards';
import { SINGLE_QUEUES } from './queue-names';

/** BullMQ wired from the config: connection, key prefix, every queue (the publish queue's shards by PublishShards), and the producers. */
@Module({})
export class HeraldQueueModule {
  static forRole(role: 'producer' | 'worker'): DynamicModule {
    return {
      module: HeraldQueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [HERALD_CONFIG],
          useFactory: (config: HeraldConfig) => ({
            connection: bullConnection(config, role),
            prefix: config.queuePrefix,
          }),
        }),
        BullModule.registerQueue(...SINGLE_QUEUES.map((name) => ({ name }))),
      ],
      providers: [{ provide: REDIS_ROLE, useValue: role }, PublishShards, PublishQueue, WebhookQueue, UnpublishQueue, NetworkCircuits, ChannelBudgets],
      exports: [BullModule, PublishShards, PublishQueue, WebhookQueue, UnpublishQueue, NetworkCircuits, ChannelBudgets],
    };
  }
}
