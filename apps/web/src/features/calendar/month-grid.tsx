/**
 * A month by day, every cell the same height: the first posts of a day, then
 * "+N more", which opens the day. A click on an empty part of a day opens
 * compose at 09:00 that day.
 */
import { Link } from '@tanstack/react-router';
import { DateTime } from 'luxon';
import { cellId } from './calendar-grid';
import { EntryChip } from './entry-chip';
import { Cell, type GridProps } from './time-grid';

/** Chips a day shows before "+N more". */
export const CHIPS_PER_DAY = 3;

export function MonthGrid({ range, cells, context, locale, onEmptyClick }: GridProps) {
  const weeks: DateTime[][] = [];
  for (let index = 0; index < range.days.length; index += 7) weeks.push(range.days.slice(index, index + 7));
  const today = DateTime.now().setZone(range.start.zone).toISODate();
  return (
    <div className="cal-scroll">
      <table className="cal-month">
        <caption className="visually-hidden">Posts by day, {range.anchor.setLocale(locale).toLocaleString({ month: 'long', year: 'numeric' })}</caption>
        <thead>
          <tr>
            {weeks[0]!.map((day) => (
              <th key={day.weekday} scope="col">
                {day.setLocale(locale).toLocaleString({ weekday: 'short' })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]!.toISODate()}>
              {week.map((day) => {
                const entries = cells.get(cellId(day)) ?? [];
                // Past the bound, one chip fewer makes room for the link: a cell never grows.
                const shown = entries.length > CHIPS_PER_DAY ? entries.slice(0, CHIPS_PER_DAY - 1) : entries;
                const hidden = entries.length - shown.length;
                const words = day.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' });
                return (
                  <Cell
                    key={day.toISODate()}
                    id={cellId(day)}
                    label={`${words}: ${entries.length === 1 ? '1 post' : `${entries.length} posts`}`}
                    className={`${day.month !== range.anchor.month ? 'outside' : ''}${day.toISODate() === today ? ' today' : ''}`}
                    count={entries.length}
                    onEmptyClick={onEmptyClick ? () => onEmptyClick(day) : undefined}
                  >
                    <Link to="/calendar" search={{ view: 'day', date: day.toISODate()! }} className="cal-date" aria-label={`Open ${words}`}>
                      {day.day}
                    </Link>
                    {shown.map((placed) => (
                      <EntryChip key={placed.key} placed={placed} context={context} compact />
                    ))}
                    {hidden > 0 ? (
                      <Link to="/calendar" search={{ view: 'day', date: day.toISODate()! }} className="cal-more">
                        +{hidden} more<span className="visually-hidden"> on {words}</span>
                      </Link>
                    ) : null}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
