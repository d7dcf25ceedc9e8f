import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { QUEUE_NAMES } from '@herald/queue';
import { adminUiAuth } from './admin-ui';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

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
    BullBoardModule.forFeature(...QUEUE_NAMES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
