import { Module } from '@nestjs/common';
import { ChannelQueueService } from './channel-queue.service';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  controllers: [ChannelsController],
  providers: [ChannelsService, ChannelQueueService],
  exports: [ChannelsService],
})
export class ChannelsModule {}
