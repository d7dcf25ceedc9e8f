import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, AuthGuard, Needs } from '../access';
import { ApiOk, ApiProblems, ApiRoute } from '../common/api-docs';
import { CalendarService } from './calendar.service';
import { CalendarQuery } from './dto';
import { CalendarSchema } from './schemas';

@ApiTags('Calendar')
@Controller('v1/calendar')
@UseGuards(AuthGuard)
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get()
  @Needs('posts.read')
  @ApiRoute(
    'getCalendar',
    'Posts in a date range, for a calendar',
    'Every delivery scheduled in [`from`, `to`) (at most 62 days), grouped as one entry per post and instant, in time order: compact (an excerpt, statuses, no attempts), with the wall time in the channels\' zone. One call draws a month.',
  )
  @ApiOk(CalendarSchema)
  @ApiProblems({ 422: 'The range is empty, longer than 62 days, or the zone unknown' })
  get(@Auth() auth: AuthContext, @Query() query: CalendarQuery): Promise<CalendarSchema> {
    return this.calendar.range(auth, query);
  }
}
