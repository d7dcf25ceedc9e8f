/**
 * A day or a week by hour: the headers stay on top while the hours scroll,
 * the working day (from 08:00) is what shows first, the night a scroll
 * away. A click on an empty hour opens compose at that hour.
 */
import { useDroppable } from '@dnd-kit/core';
import { DateTime } from 'luxon';
import { useLayoutEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { cellId, type CalendarRange, type PlacedEntry } from './calendar-grid';
import { EntryChip, type ChipContext } from './entry-chip';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** The first hour shown without scrolling. */
export const WORKDAY_START = 8;

export interface GridProps {
  range: CalendarRange;
  cells: Map<string, PlacedEntry[]>;
  context: ChipContext;
  locale: string;
  /** A click on an empty part of a cell: compose at that day (and hour). */
  onEmptyClick?: (day: DateTime, hour?: number) => void;
}

export function TimeGrid({ range, cells, context, locale, onEmptyClick }: GridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const workday = useRef<HTMLTableRowElement>(null);
  const today = DateTime.now().setZone(range.start.zone).toISODate();
  useLayoutEffect(() => {
    const box = scroller.current;
    const row = workday.current;
    const header = box?.querySelector('thead');
    if (box && row) box.scrollTop = row.offsetTop - (header?.offsetHeight ?? 0);
  }, [range.start]);
  return (
    <div className="cal-scroll cal-time-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Hours (scroll for the night)">
      <table className={`cal-time cal-${range.view}`}>
        <caption className="visually-hidden">
          Posts by hour, {range.start.toISODate()} to {range.days[range.days.length - 1]!.toISODate()}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="cal-hour-head">
              <span className="visually-hidden">Hour</span>
            </th>
            {range.days.map((day) => (
              <th key={day.toISODate()} scope="col" className={day.toISODate() === today ? 'today' : undefined}>
                {day.setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {HOURS.map((hour) => (
            <tr key={hour} ref={hour === WORKDAY_START ? workday : undefined} className={hour < WORKDAY_START || hour >= 20 ? 'cal-off-hours' : undefined}>
              <th scope="row" className="cal-hour">
                {String(hour).padStart(2, '0')}:00
              </th>
              {range.days.map((day) => (
                <Cell
                  key={day.toISODate()}
                  id={cellId(day, hour)}
                  label={`${day.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })}, ${String(hour).padStart(2, '0')}:00`}
                  onEmptyClick={onEmptyClick ? () => onEmptyClick(day, hour) : undefined}
                >
                  {cells.get(cellId(day, hour))?.map((placed) => (
                    <EntryChip key={placed.key} placed={placed} context={context} />
                  ))}
                </Cell>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A drop target; a click on its empty part (not on a chip) is a click on the slot. */
export function Cell({ id, label, className, count, onEmptyClick, children }: { id: string; label: string; className?: string; count?: number; onEmptyClick?: () => void; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  const clicked = (event: MouseEvent<HTMLTableCellElement>) => {
    const target = event.target as HTMLElement;
    if (!onEmptyClick || target.closest('.cal-chip, button, a')) return;
    onEmptyClick();
  };
  return (
    <td ref={setNodeRef} className={`cal-cell${isOver ? ' over' : ''}${onEmptyClick ? ' clickable' : ''}${className ? ` ${className}` : ''}`} data-cell={id} data-count={count} aria-label={label} onClick={clicked}>
      {children}
    </td>
  );
}
