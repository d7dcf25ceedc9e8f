import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, Needs } from '../access';
import { ApiCreated, ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Page, PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { CreateFeedDto, UpdateFeedDto } from './dto';
import { FeedsService } from './feeds.service';
import { FeedPollResultSchema, FeedSchema } from './schemas';

@ApiTags('Feeds')
@Controller('v1/feeds')
@UseGuards(AuthGuard)
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Post()
  @Needs('posts.write')
  @ApiRoute(
    'createFeed',
    'Follow a feed',
    'An RSS 2.0, Atom or JSON feed, polled every `intervalMinutes` (conditional GET, under the URL policy); each new item (by guid) becomes one post to `channelIds` from `template`, in `mode`. The items already there when it is added too, unless `skipExisting`.',
  )
  @ApiCreated(FeedSchema)
  @ApiProblems(404, { 422: 'The URL is refused (not http(s), or a private address)' })
  create(@Auth() auth: AuthContext, @Body() body: CreateFeedDto): Promise<FeedSchema> {
    return this.feeds.create(auth, body);
  }

  @Get()
  @Needs('posts.read')
  @ApiRoute('listFeeds', 'List feeds', 'With each one\'s status, last poll and error.')
  @ApiPage(FeedSchema)
  list(@Auth() auth: AuthContext, @Query() query: PageQuery): Promise<Page<FeedSchema>> {
    return this.feeds.list(auth, query.limit, query.cursor);
  }

  @Get(':id')
  @Needs('posts.read')
  @ApiRoute('getFeed', 'Get a feed', 'With its latest items and the post made of each.')
  @ApiOk(FeedSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Feed')) id: string): Promise<FeedSchema> {
    return this.feeds.get(auth, id);
  }

  @Patch(':id')
  @Needs('posts.write')
  @ApiRoute('updateFeed', 'Change, pause or resume a feed', '`status: paused` stops polling; `active` polls again now (a broken feed too).')
  @ApiOk(FeedSchema)
  @ApiProblems(404)
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Feed')) id: string, @Body() body: UpdateFeedDto): Promise<FeedSchema> {
    return this.feeds.update(auth, id, body);
  }

  @Delete(':id')
  @Needs('posts.write')
  @HttpCode(204)
  @ApiRoute('deleteFeed', 'Stop following a feed', 'The posts made of its items stay.')
  @ApiNoContent('Removed')
  @ApiProblems(404)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Feed')) id: string): Promise<void> {
    await this.feeds.remove(auth, id);
  }

  @Post(':id/poll')
  @Needs('posts.write')
  @HttpCode(200)
  @ApiRoute('pollFeed', 'Poll a feed now', 'Whatever its status; answers what the poll did (a failure is counted as any poll\'s).')
  @ApiOk(FeedPollResultSchema)
  @ApiProblems(404)
  poll(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Feed')) id: string): Promise<FeedPollResultSchema> {
    return this.feeds.pollNow(auth, id);
  }
}
