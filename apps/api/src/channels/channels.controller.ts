import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, WorkspaceId } from '../common/auth';
import { Idempotent } from '../common/idempotency.interceptor';
import { PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ChannelQueueService } from './channel-queue.service';
import { ChannelsService } from './channels.service';
import { CreateChannelDto, ReorderQueueDto, UpdateChannelDto } from './dto';

@Controller('v1/channels')
@UseGuards(ApiKeyGuard)
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly queue: ChannelQueueService,
  ) {}

  @Post()
  @Idempotent()
  create(@WorkspaceId() workspaceId: string, @Body() body: CreateChannelDto) {
    return this.channels.create(workspaceId, body);
  }

  @Get()
  list(@WorkspaceId() workspaceId: string, @Query() query: PageQuery) {
    return this.channels.list(workspaceId, query.limit ?? 50, query.cursor);
  }

  @Get(':id')
  get(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Channel')) id: string) {
    return this.channels.get(workspaceId, id);
  }

  @Patch(':id')
  update(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Channel')) id: string, @Body() body: UpdateChannelDto) {
    return this.channels.update(workspaceId, id, body);
  }

  @Get(':id/queue')
  listQueue(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Channel')) id: string) {
    return this.queue.list(workspaceId, id);
  }

  @Post(':id/queue/reorder')
  @HttpCode(200)
  reorder(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Channel')) id: string, @Body() body: ReorderQueueDto) {
    return this.queue.reorder(workspaceId, id, body.deliveryIds);
  }

  @Post(':id/queue/shuffle')
  @HttpCode(200)
  shuffle(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Channel')) id: string) {
    return this.queue.shuffle(workspaceId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<void> {
    await this.channels.remove(workspaceId, id);
  }
}
