import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, AuthContext, AuthGuard, ForChannelKeys, Needs } from '../access';
import { ApiProblems, ApiRoute } from '../common/api-docs';
import { ForAgents } from '../common/for-agents';
import { FIGURE_NAMES } from './aggregate';
import { AccountsView, AnalyticsService, AnalyticsView, BestTimesView, TopView } from './analytics.service';
import { ApiOkOrCsv, csvAnswer, wantsCsv } from './csv-answer';
import { AccountsQuery, AnalyticsQuery, AnalyticsRangeQuery, TopQuery } from './dto';
import { AccountsSchema, AnalyticsSchema, BestTimesSchema, TopSchema } from './schemas';

const TOTAL_COLUMNS = ['posts', 'deliveries', 'impressions', 'engagements', 'engagementRate', 'likes', 'reposts', 'replies'];

@ApiTags('Analytics')
@Controller('v1/analytics')
@UseGuards(AuthGuard)
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get()
  @Needs('posts.read')
  @ForChannelKeys({ query: 'channelId' })
  @ForAgents('get_analytics')
  @ApiRoute(
    'getAnalytics',
    'Sums per period and per channel',
    "Each published delivery's latest figures, by when it was published (`from`–`to`, default the last 30 days), summed per `groupBy` period in the zone and per channel: posts, impressions, engagements, engagement rate.",
  )
  @ApiOkOrCsv(AnalyticsSchema, 'one line per period')
  @ApiProblems(404, 422)
  async report(@Auth() auth: AuthContext, @Query() query: AnalyticsQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response): Promise<AnalyticsView | string> {
    const view = await this.analytics.report(auth, query);
    return wantsCsv(accept) ? csvAnswer(response, 'analytics', ['period', ...TOTAL_COLUMNS], view.periods) : view;
  }

  @Get('top')
  @Needs('posts.read')
  @ForChannelKeys({ query: 'channelId' })
  @ApiRoute('getTopPosts', 'The posts that earned the most', 'Deliveries ranked by `metric` (default engagements), their latest figures.')
  @ApiOkOrCsv(TopSchema, 'one line per delivery')
  @ApiProblems(404, 422)
  async top(@Auth() auth: AuthContext, @Query() query: TopQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response): Promise<TopView | string> {
    const view = await this.analytics.top(auth, query);
    if (!wantsCsv(accept)) return view;
    const rows = view.data.map(({ figures, ...entry }) => ({ ...entry, ...figures }));
    return csvAnswer(response, 'top-posts', ['postId', 'deliveryId', 'channelId', 'network', 'handle', 'publishedAt', 'takenAt', 'engagements', ...FIGURE_NAMES, 'deleted', 'externalUrl', 'text'], rows);
  }

  @Get('best-times')
  @Needs('posts.read')
  @ForChannelKeys({ query: 'channelId' })
  @ApiRoute(
    'getBestTimes',
    'When to post',
    "Engagement per post by hour of the week, each post in its channel's zone, from the history (default the last 90 days); and the slots that did best, with how sure that is.",
  )
  @ApiOkOrCsv(BestTimesSchema, 'one line per hour of the week that has posts')
  @ApiProblems(404, 422)
  async bestTimes(@Auth() auth: AuthContext, @Query() query: AnalyticsRangeQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response): Promise<BestTimesView | string> {
    const view = await this.analytics.bestTimes(auth, query);
    return wantsCsv(accept) ? csvAnswer(response, 'best-times', ['weekday', 'hour', 'posts', 'engagements', 'average'], view.cells) : view;
  }

  @Get('accounts')
  @Needs('posts.read')
  @ForChannelKeys({ query: 'channelId' })
  @ApiRoute(
    'getAccountFigures',
    "Each channel's followers over time",
    "The channels' own figures (followers, following, posts, and the network's own under `extra`), read once a day per channel: the readings taken `from`–`to` (default the last 30 days), by channel, oldest first, with the change in followers from the first to the last.",
  )
  @ApiOkOrCsv(AccountsSchema, 'one line per reading')
  @ApiProblems(404, 422)
  async accounts(@Auth() auth: AuthContext, @Query() query: AccountsQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response): Promise<AccountsView | string> {
    const view = await this.analytics.accounts(auth, query);
    if (!wantsCsv(accept)) return view;
    const rows = view.channels.flatMap((channel) => channel.readings.map((reading) => ({ channelId: channel.channelId, network: channel.network, handle: channel.handle, ...reading, extra: JSON.stringify(reading.extra) })));
    return csvAnswer(response, 'account-figures', ['channelId', 'network', 'handle', 'takenAt', 'followers', 'following', 'posts', 'extra'], rows);
  }
}
