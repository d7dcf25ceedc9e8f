/**
 * The calendar at phone width: the range's days one under the other, each
 * with its posts in time order and a way to add one that day, instead of a
 * grid squeezed into 375 px.
 */
import { Link } from '@tanstack/react-router';
import { DateTime } from 'luxon';
import { cellId, type CalendarRange, type PlacedEntry } from './calendar-grid';
import { EntryChip, type ChipContext } from './entry-chip';

export function AgendaList({ range, cells, context, locale, composeAt }: { range: CalendarRange; cells: Map<string, PlacedEntry[]>; context: ChipContext; locale: string; composeAt?: (day: DateTime) => { at: string; tz: string } }) {
  const today = DateTime.now().setZone(range.start.zone).toISODate();
  // A month lists its own days with posts (and today); a day or week every day.
  const days = range.view === 'month' ? range.days.filter((day) => day.month === range.anchor.month && ((cells.get(cellId(day))?.length ?? 0) > 0 || day.toISODate() === today)) : range.days;
  if (days.length === 0) return <p className="muted">Nothing is scheduled this month.</p>;
  return (
    <ol className="cal-agenda">
      {days.map((day) => {
        const entries = cells.get(cellId(day)) ?? [];
        const words = day.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' });
        return (
          <li key={day.toISODate()} className={`cal-agenda-day${day.toISODate() === today ? ' today' : ''}`} data-cell={cellId(day)} data-count={entries.length}>
            <div className="cal-agenda-head">
              <h3>{words}</h3>
              {composeAt ? (
                <Link to="/compose" search={composeAt(day)} className="button small">
                  New post<span className="visually-hidden"> on {words}</span>
                </Link>
              ) : null}
            </div>
            {entries.length ? (
              <ul className="cal-agenda-posts">
                {entries.map((placed) => (
                  <li key={placed.key}>
                    <EntryChip placed={placed} context={context} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nothing scheduled.</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
