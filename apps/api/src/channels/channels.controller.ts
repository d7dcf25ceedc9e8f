import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuthGuard, Auth, AuthContext } from '../access';
import { Idempotent } from '../common/idempotency.interceptor';
import { PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ChannelsService } from './channels.service';
import { CreateChannelDto, ReorderQueueDto, UpdateChannelDto } from './dto';
import { SlotQueueService } from './slot-queue.service';

@Controller('v1/channels')
@UseGuards(AuthGuard)
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly slotQueue: SlotQueueService,
  ) {}

  @Post()
  @Idempotent()
  async create(@Auth() auth: AuthContext, @Body() body: CreateChannelDto, @Res({ passthrough: true }) response: Response) {
    const { channel, reconnected } = await this.channels.create(auth, body);
    // The account was already a channel here: connected again (same id, schedule and queue), nothing created.
    if (reconnected) response.status(200);
    return channel;
  }

  @Get()
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.channels.list(auth, query.limit ?? 50, query.cursor);
  }

  @Get(':id')
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string) {
    return this.channels.get(auth, id);
  }

  @Patch(':id')
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string, @Body() body: UpdateChannelDto) {
    return this.channels.update(auth, id, body);
  }

  /** The channel's slot queue (Buffer's "queue"): its queued posts in slot order. */
  @Get(':id/queue')
  listQueue(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string) {
    return this.slotQueue.list(auth, id);
  }

  @Post(':id/queue/reorder')
  @HttpCode(200)
  reorder(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string, @Body() body: ReorderQueueDto) {
    return this.slotQueue.reorder(auth, id, body.deliveryIds);
  }

  @Post(':id/queue/shuffle')
  @HttpCode(200)
  shuffle(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string) {
    return this.slotQueue.shuffle(auth, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<void> {
    await this.channels.remove(auth, id);
  }
}
