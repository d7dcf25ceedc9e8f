import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller';
import { ConnectCallbackController, ConnectController } from './connect.controller';
import { ConnectBinding } from './connect-binding';
import { ConnectService } from './connect.service';
import { ChannelConnections } from './connections.service';
import { ChannelsService } from './channels.service';
import { SlotQueueService } from './slot-queue.service';
import { SlotQueues } from './slot-queue';
import { ChannelGroupsController } from './groups/channel-groups.controller';
import { ChannelGroupsService } from './groups/channel-groups.service';

/** Connected accounts, their posting schedules and slot queues, their profiles (name, handle, avatar), and saved groups of them. */
@Module({
  // The connect routes first: `/v1/channels/connect/...` must not be read as a channel id.
  controllers: [ConnectCallbackController, ConnectController, ChannelsController, ChannelGroupsController],
  providers: [ChannelGroupsService, ChannelsService, SlotQueueService, SlotQueues, ChannelConnections, ConnectService, ConnectBinding],
  exports: [ChannelsService, SlotQueues, ConnectService],
})
export class ChannelsModule {}
