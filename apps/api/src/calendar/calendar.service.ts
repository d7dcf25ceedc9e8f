import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CalendarRepository } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { UnprocessableRequest } from '../common/problems';
import { calendarEntries, CalendarView } from './calendar-entries';
import { CalendarQuery } from './dto';

/** The longest range one answer covers: a month view's six weeks, with room to spare. */
export const MAX_RANGE_DAYS = 62;
/** The most deliveries one answer carries; more set `truncated`. */
export const MAX_DELIVERIES = 5000;

/** `GET /v1/calendar`: the entries of a bounded range, for a calendar to draw with one call. */
@Injectable()
export class CalendarService {
  constructor(
    private readonly calendar: CalendarRepository,
    private readonly access: AccessService,
  ) {}

  async range(auth: AuthContext, query: CalendarQuery): Promise<CalendarView> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const zone = query.timezone ?? 'UTC';
    if (!DateTime.local().setZone(zone).isValid) throw new UnprocessableRequest(`timezone: ${zone} is not a known time zone`, [{ path: 'timezone', message: 'not a known IANA time zone' }]);
    const from = DateTime.fromISO(query.from, { zone });
    const to = DateTime.fromISO(query.to, { zone });
    if (to <= from) throw new UnprocessableRequest('to must be after from', [{ path: 'to', message: 'must be after from' }]);
    if (to.diff(from, 'days').days > MAX_RANGE_DAYS) {
      throw new UnprocessableRequest(`The range is longer than ${MAX_RANGE_DAYS} days: ask for a shorter one`, [{ path: 'to', message: `at most ${MAX_RANGE_DAYS} days after from` }]);
    }
    const rows = await this.calendar.range(tenant, {
      from: from.toJSDate(),
      to: to.toJSDate(),
      channelIds: query.channelId?.split(',').map((id) => id.toLowerCase()),
      status: query.status,
      tag: query.tag?.trim().toLowerCase(),
      limit: MAX_DELIVERIES + 1,
    });
    const truncated = rows.length > MAX_DELIVERIES;
    return { from: from.toUTC().toISO()!, to: to.toUTC().toISO()!, entries: calendarEntries(truncated ? rows.slice(0, MAX_DELIVERIES) : rows), truncated };
  }
}
