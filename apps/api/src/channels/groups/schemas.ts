import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ChannelGroupView } from './channel-groups.service';

@ApiSchema({ name: 'ChannelGroup', description: 'A saved set of channels ("Client A") to pick in compose at once' })
export class ChannelGroupSchema implements ChannelGroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Client A' })
  name!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Its live channels, in the order given (a removed channel drops out)' })
  channelIds!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
