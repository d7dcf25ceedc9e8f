import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardInstance, BullBoardModule, InjectBullBoard } from '@bull-board/nestjs';
import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishShards, SINGLE_QUEUES } from '@herald/queue';
import { adminUiAuth } from './admin-ui';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

/** The publish queue's shards on the dashboard, each its own queue (`publish`, or `publish-0`, `publish-1`...). */
@Injectable()
class PublishShardsOnBoard implements OnModuleInit {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly shards: PublishShards,
  ) {}

  onModuleInit(): void {
    for (const shard of this.shards.all) this.board.addQueue(new BullMQAdapter(shard.queue));
  }
}

/** Operators' endpoints, and bull-board's dashboard at /admin/ui behind the admin token. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => ({
        route: '/admin/ui',
        adapter: ExpressAdapter,
        middleware: adminUiAuth(config.adminToken),
        boardOptions: { uiConfig: { boardTitle: 'Herald queues' } },
      }),
    }),
    BullBoardModule.forFeature(...SINGLE_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
  controllers: [AdminController],
  providers: [AdminService, PublishShardsOnBoard],
})
export class AdminModule {}
