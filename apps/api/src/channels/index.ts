/** What other API modules may use of channels: everything else here is this module's own. */
export { ChannelsModule } from './channels.module';
export { ChannelsService } from './channels.service';
export { ConnectService } from './connect.service';
export { SlotQueue, SlotQueues, type Retimed } from './slot-queue';
