import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller';
import { ConnectCallbackController, ConnectController } from './connect.controller';
import { ConnectBinding } from './connect-binding';
import { ConnectService } from './connect.service';
import { ChannelConnections } from './connections.service';
import { ChannelsService } from './channels.service';
import { SlotQueueService } from './slot-queue.service';
import { SlotQueues } from './slot-queue';

/** Connected accounts, their posting schedules and slot queues. */
@Module({
  // The connect routes first: `/v1/channels/connect/...` must not be read as a channel id.
  controllers: [ConnectCallbackController, ConnectController, ChannelsController],
  providers: [ChannelsService, SlotQueueService, SlotQueues, ChannelConnections, ConnectService, ConnectBinding],
  exports: [ChannelsService, SlotQueues, ConnectService],
})
export class ChannelsModule {}
