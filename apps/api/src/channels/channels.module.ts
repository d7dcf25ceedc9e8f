import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { SlotQueueService } from './slot-queue.service';
import { SlotQueues } from './slot-queue';

/** Connected accounts, their posting schedules and slot queues. */
@Module({
  controllers: [ChannelsController],
  providers: [ChannelsService, SlotQueueService, SlotQueues],
  exports: [ChannelsService, SlotQueues],
})
export class ChannelsModule {}
