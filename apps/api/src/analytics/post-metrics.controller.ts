import { Controller, Get, HttpCode, Headers, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, AuthContext, AuthGuard, Needs } from '../access';
import { ApiProblems, ApiRoute } from '../common/api-docs';
import { ParseIdPipe } from '../common/uuid.pipe';
import { FIGURE_NAMES } from './aggregate';
import { AnalyticsService, PostMetricsView } from './analytics.service';
import { ApiOkOrCsv, csvAnswer, wantsCsv } from './csv-answer';
import { PostMetricsSchema, RefreshSchema } from './schemas';
import { RefreshMetricsUseCase, RefreshView } from './usecases/refresh-metrics.usecase';

@ApiTags('Analytics')
@Controller('v1/posts/:id/metrics')
@UseGuards(AuthGuard)
export class PostMetricsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly refreshMetrics: RefreshMetricsUseCase,
  ) {}

  @Get()
  @Needs('posts.read')
  @ApiRoute('getPostMetrics', "A post's metrics", 'Each published delivery: its latest figures, every snapshot (history), when the next is due, and whether its snapshots ended (the post deleted on its network).')
  @ApiOkOrCsv(PostMetricsSchema, 'one line per snapshot')
  @ApiProblems(404)
  async get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response): Promise<PostMetricsView | string> {
    const view = await this.analytics.postMetrics(auth, id);
    if (!wantsCsv(accept)) return view;
    const rows = view.deliveries.flatMap((delivery) => delivery.snapshots.map((snapshot) => ({ deliveryId: delivery.deliveryId, channelId: delivery.channelId, network: delivery.network, takenAt: snapshot.takenAt, kind: snapshot.kind, engagements: snapshot.engagements, ...snapshot.figures })));
    return csvAnswer(response, `post-${id}-metrics`, ['deliveryId', 'channelId', 'network', 'takenAt', 'kind', 'engagements', ...FIGURE_NAMES], rows);
  }

  @Post('refresh')
  @HttpCode(202)
  @Needs('posts.write')
  @ApiRoute('refreshPostMetrics', "Read a post's metrics now", 'The worker reads each published delivery\'s figures shortly (a snapshot of kind `refresh`); at most once a minute per post.')
  @ApiResponse({ status: 202, type: RefreshSchema, description: 'Asked for' })
  @ApiProblems(404, { 409: 'The post has nothing published (or all of it is gone from its networks)' }, 429)
  refresh(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<RefreshView> {
    return this.refreshMetrics.execute(auth, id);
  }
}
