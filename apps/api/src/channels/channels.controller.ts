import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthGuard, Auth, AuthContext, ForChannelKeys, Needs } from '../access';
import { ApiCreated, ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { ForAgents } from '../common/for-agents';
import { Idempotent } from '../common/idempotency.interceptor';
import { Page, PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ChannelsService } from './channels.service';
import { CreateChannelDto, ReorderQueueDto, UpdateChannelDto } from './dto';
import { ChannelSchema, QueueEntrySchema } from './schemas';
import { SlotQueueService } from './slot-queue.service';

@ApiTags('Channels')
@Controller('v1/channels')
@UseGuards(AuthGuard)
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly slotQueue: SlotQueueService,
  ) {}

  @Post()
  @Needs('channels.manage')
  @Idempotent()
  @ApiRoute(
    'createChannel',
    'Connect a channel with credentials',
    'Without a browser: Bluesky with `handle` and an `appPassword`, any other network with an `accessToken` the person made (Herald asks the network whose it is). 200 instead of 201 when the account already is a channel here: connected again, the same id, schedule and queue.',
  )
  @ApiCreated(ChannelSchema, 'Connected')
  @ApiOk(ChannelSchema, 'The account already was a channel here: connected again with the new credentials')
  @ApiProblems({ 409: 'The account is already connected to this workspace (a race with another connect)', 422: 'The network refused the credentials, or they are missing for it; a bad zone or schedule' })
  async create(@Auth() auth: AuthContext, @Body() body: CreateChannelDto, @Res({ passthrough: true }) response: Response): Promise<ChannelSchema> {
    const { channel, reconnected } = await this.channels.create(auth, body);
    // The account was already a channel here: connected again (same id, schedule and queue), nothing created.
    if (reconnected) response.status(200);
    return channel;
  }

  @Get()
  @Needs('channels.read')
  @ForChannelKeys('inside')
  @ForAgents('list_channels')
  @ApiRoute('listChannels', 'List channels')
  @ApiPage(ChannelSchema)
  list(@Auth() auth: AuthContext, @Query() query: PageQuery): Promise<Page<ChannelSchema>> {
    return this.channels.list(auth, query.limit ?? 50, query.cursor);
  }

  @Get(':id')
  @Needs('channels.read')
  @ForChannelKeys({ param: 'id' })
  @ApiRoute('getChannel', 'Get a channel')
  @ApiOk(ChannelSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<ChannelSchema> {
    return this.channels.get(auth, id);
  }

  @Patch(':id')
  @Needs('channels.manage')
  @ForChannelKeys({ param: 'id' })
  @ApiRoute(
    'updateChannel',
    'Change a channel',
    'Its zone, posting schedule (the queue is re-timed), post defaults, `staleAfterSeconds`, `status` (`paused` holds its deliveries), or new credentials (`accessToken`) for a disconnected one.',
  )
  @ApiOk(ChannelSchema)
  @ApiProblems(404, 422)
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string, @Body() body: UpdateChannelDto): Promise<ChannelSchema> {
    return this.channels.update(auth, id, body);
  }

  @Get(':id/avatar')
  @Needs('channels.read')
  @ForChannelKeys({ param: 'id' })
  @ApiRoute(
    'getChannelAvatar',
    "A channel's avatar",
    "Herald's copy of the account's avatar (read from the network at connect and on refresh, never hot-linked): a 128×128 WebP. Revalidate with `If-None-Match`.",
  )
  @ApiResponse({
    status: 200,
    description: 'The image',
    content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } },
    headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'Not modified: the `If-None-Match` ETag is the kept one' })
  @ApiQuery({
    name: 'workspace',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'The workspace, for a signed-in person in several whose `<img>` cannot send `X-Herald-Workspace` (any GET takes it)',
  })
  @ApiProblems({ 404: 'No such channel, or none of its avatar is kept' })
  async avatar(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const avatar = await this.channels.avatar(auth, id);
    const etag = `"${avatar.etag}"`;
    response.setHeader('ETag', etag);
    // A renamed account's new avatar shows within minutes; between, a browser asks with If-None-Match and gets a 304.
    response.setHeader('Cache-Control', 'private, max-age=300');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    const asked = request.header('if-none-match');
    if (asked !== undefined && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      response.status(304).end();
      return;
    }
    response.setHeader('Content-Type', avatar.contentType);
    response.setHeader('Content-Length', String(avatar.bytes.length));
    response.status(200).end(avatar.bytes);
  }

  @Post(':id/profile/refresh')
  @Needs('channels.manage')
  @ForChannelKeys({ param: 'id' })
  @HttpCode(200)
  @ApiRoute(
    'refreshChannelProfile',
    "Read a channel's name, handle and avatar from its network now",
    'A renamed account shows its new name and handle; an avatar that cannot be fetched leaves the kept one. A TikTok channel also reads what its creator may post now (its `choices`: privacy levels, comments, duets and stitches turned off, longest video), as TikTok wants it read when a post is composed.',
  )
  @ApiOk(ChannelSchema, 'The channel as the network shows it now')
  @ApiProblems(404, { 422: 'The network refused the channel\'s token (connect it again)' })
  refreshProfile(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<ChannelSchema> {
    return this.channels.refreshProfile(auth, id);
  }

  /** The channel's slot queue (Buffer's "queue"): its queued posts in slot order. */
  @Get(':id/queue')
  @Needs('channels.read')
  @ForChannelKeys({ param: 'id' })
  @ForAgents('get_queue')
  @ApiRoute('listChannelQueue', "List a channel's slot queue", 'Its queued deliveries in slot order.')
  @ApiPage(QueueEntrySchema, 'The whole queue (never paged: `nextCursor` is null)')
  @ApiProblems(404)
  listQueue(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<Page<QueueEntrySchema>> {
    return this.slotQueue.list(auth, id);
  }

  @Post(':id/queue/reorder')
  @Needs('posts.write')
  @ForChannelKeys({ param: 'id' })
  @HttpCode(200)
  @ForAgents('reorder_queue')
  @ApiRoute('reorderChannelQueue', "Reorder a channel's slot queue", 'The listed deliveries (every queued one, once) take the slots in that order.')
  @ApiPage(QueueEntrySchema, 'The queue in its new order')
  @ApiProblems(404, { 409: 'A listed delivery is being published and cannot move', 422: 'deliveryIds is not exactly the queued deliveries' })
  reorder(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string, @Body() body: ReorderQueueDto): Promise<Page<QueueEntrySchema>> {
    return this.slotQueue.reorder(auth, id, body.deliveryIds);
  }

  @Post(':id/queue/shuffle')
  @Needs('posts.write')
  @ForChannelKeys({ param: 'id' })
  @HttpCode(200)
  @ApiRoute('shuffleChannelQueue', "Shuffle a channel's slot queue")
  @ApiPage(QueueEntrySchema, 'The queue in its new order')
  @ApiProblems(404)
  shuffle(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<Page<QueueEntrySchema>> {
    return this.slotQueue.shuffle(auth, id);
  }

  @Delete(':id')
  @Needs('channels.manage')
  @HttpCode(204)
  @ApiRoute('deleteChannel', 'Remove a channel', 'Its deliveries not yet claimed are cancelled.')
  @ApiNoContent('Removed')
  @ApiProblems(404)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel')) id: string): Promise<void> {
    await this.channels.remove(auth, id);
  }
}
