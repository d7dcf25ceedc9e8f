/** What other API modules may use of the calendar. */
export { CalendarModule } from './calendar.module';
