import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, Needs } from '../../access';
import { ApiCreated, ApiData, ApiNoContent, ApiOk, ApiProblems, ApiRoute } from '../../common/api-docs';
import { ParseIdPipe } from '../../common/uuid.pipe';
import { CreateSeriesDto, PreviewSeriesDto, UpdateSeriesDto } from './dto';
import { SeriesPreviewSchema, SeriesSchema } from './schemas';
import { SeriesService } from './series.service';

const BAD_RULE = 'The rule is not an RRULE Herald takes (the problem names the field: rule, timezone, until, count), startAt is past, or the content breaks a channel\'s rules';

/** Recurring posts: an RRULE in a zone, its occurrences made ahead as ordinary posts. */
@ApiTags('Series')
@Controller('v1/series')
@UseGuards(AuthGuard)
export class SeriesController {
  constructor(private readonly series: SeriesService) {}

  @Post('preview')
  @Needs('posts.read')
  @HttpCode(200)
  @ApiRoute('previewSeries', 'Read a rule', 'The rule in words and its next 10 occurrences in the zone; nothing is saved.')
  @ApiOk(SeriesPreviewSchema)
  @ApiProblems({ 422: BAD_RULE })
  preview(@Auth() auth: AuthContext, @Body() body: PreviewSeriesDto): SeriesPreviewSchema {
    return this.series.preview(auth, body);
  }

  @Get()
  @Needs('posts.read')
  @ApiRoute('listSeries', 'List recurring series', 'The workspace\'s series, newest first (up to 500).')
  @ApiData(SeriesSchema)
  list(@Auth() auth: AuthContext): Promise<{ data: SeriesSchema[] }> {
    return this.series.list(auth);
  }

  @Post()
  @Needs('posts.publish')
  @ApiRoute(
    'createSeries',
    'Create a recurring series',
    'Its occurrences are made ahead (HERALD_SERIES_AHEAD_DAYS) as ordinary scheduled posts, each once, at the wall time the rule names in `timezone` across DST changes.',
  )
  @ApiCreated(SeriesSchema)
  @ApiProblems({ 404: 'A channel is not found (or is in another workspace)', 422: BAD_RULE })
  create(@Auth() auth: AuthContext, @Body() body: CreateSeriesDto): Promise<SeriesSchema> {
    return this.series.create(auth, body);
  }

  @Get(':id')
  @Needs('posts.read')
  @ApiRoute('getSeries', 'Get a recurring series')
  @ApiOk(SeriesSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Series')) id: string): Promise<SeriesSchema> {
    return this.series.get(auth, id);
  }

  @Patch(':id')
  @Needs('posts.publish')
  @ApiRoute('updateSeries', 'Edit a recurring series from the next occurrence on', 'The occurrences made for after now are withdrawn and made again with the new content and rule; published ones stay.')
  @ApiOk(SeriesSchema)
  @ApiProblems(404, { 422: BAD_RULE })
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Series')) id: string, @Body() body: UpdateSeriesDto): Promise<SeriesSchema> {
    return this.series.update(auth, id, body);
  }

  @Post(':id/pause')
  @Needs('posts.publish')
  @HttpCode(200)
  @ApiRoute('pauseSeries', 'Pause a recurring series', 'The occurrences made for after now are withdrawn; none is made until it is resumed.')
  @ApiOk(SeriesSchema)
  @ApiProblems(404, { 422: 'The series has ended' })
  pause(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Series')) id: string): Promise<SeriesSchema> {
    return this.series.pause(auth, id);
  }

  @Post(':id/resume')
  @Needs('posts.publish')
  @HttpCode(200)
  @ApiRoute('resumeSeries', 'Resume a paused series', 'Occurrences are made again from now on; none for the time it was paused.')
  @ApiOk(SeriesSchema)
  @ApiProblems(404, { 422: 'The series has ended' })
  resume(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Series')) id: string): Promise<SeriesSchema> {
    return this.series.resume(auth, id);
  }

  @Delete(':id')
  @Needs('posts.publish')
  @HttpCode(204)
  @ApiRoute('deleteSeries', 'Delete a recurring series', 'Its occurrences made for after now are withdrawn; published ones stay as posts.')
  @ApiNoContent('Deleted')
  @ApiProblems(404)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Series')) id: string): Promise<void> {
    await this.series.remove(auth, id);
  }
}
