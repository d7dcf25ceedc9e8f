/**
 * The calendar: a week by hour or a month by day, in the person's zone. Drag
 * a scheduled post to another hour or day (pointer, touch, or keyboard: Space
 * to lift, arrows to move, Space to drop) and it is rescheduled there by
 * PATCH /v1/posts/:id; a post being published refuses (409) and the page says
 * why. Read again as live.ts says.
 */
import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { DateTime } from 'luxon';
import { memo, useMemo, useState, type ReactNode } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf, type Problem } from '../../api/problem';
import { SelectField } from '../../ui/field';
import { Page } from '../../ui/page';
import { timeZones, usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { statusWords } from '../../ui/status';
import { useCan } from '../auth/session';
import { NETWORK_NAMES } from '../channels/api';
import { allPosts } from '../posts/api';
import { refreshInterval } from '../posts/live';
import { cellKeyboardCoordinates } from './cell-keys';
import { calendarEntries, calendarRange, cellId, droppedAt, entriesByCell, shifted, type CalendarEntry, type CalendarRange, type CalendarView } from './calendar-grid';

export interface CalendarSearch {
  view?: CalendarView;
  date?: string;
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function CalendarPage() {
  const search = useSearch({ strict: false }) as CalendarSearch;
  const navigate = useNavigate();
  const person = usePerson();
  const queryClient = useQueryClient();
  const canWrite = useCan('posts.write');
  const view = search.view ?? 'week';
  const range = useMemo(() => calendarRange(view, search.date, person.timeZone), [view, search.date, person.timeZone]);
  const from = range.start.toUTC().toISO()!;
  const to = range.end.toUTC().toISO()!;
  const posts = useQuery({
    queryKey: ['posts', 'calendar', from, to],
    queryFn: () => allPosts({ from, to }),
    refetchInterval: (query) => refreshInterval(query.state.data?.flatMap((post) => post.deliveries)),
  });
  // Worked out once per answer (not on every render, e.g. each step of a drag), and looked up per cell.
  const entries = useMemo(() => calendarEntries(posts.data ?? [], range), [posts.data, range]);
  const cells = useMemo(() => entriesByCell(entries, view), [entries, view]);
  const [refusal, setRefusal] = useState<{ entry: CalendarEntry; problem: Problem } | null>(null);
  const [moved, setMoved] = useState<string>('');
  const reschedule = useMutation({
    mutationFn: ({ entry, localTime }: { entry: CalendarEntry; localTime: string }) =>
      call(herald.PATCH('/v1/posts/{id}', { params: { path: { id: entry.post.id } }, body: { schedule: { mode: 'at', localTime, timezone: person.timeZone } } })),
    onMutate: () => setRefusal(null),
    onSuccess: async (post, { localTime }) => {
      setMoved(`Moved to ${localTime.replace('T', ' ')}.`);
      queryClient.setQueryData(['posts', post.id], post);
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
    },
    onError: (error, { entry }) => setRefusal({ entry, problem: problemOf(error) }),
  });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: cellKeyboardCoordinates }));
  const byKey = useMemo(() => new Map(entries.map((entry) => [entry.key, entry])), [entries]);
  const entryOf = (id: string | number) => byKey.get(String(id));
  const dropped = ({ active, over }: DragEndEvent) => {
    const entry = entryOf(active.id);
    if (!entry || !over) return;
    const localTime = droppedAt(String(over.id), entry.at);
    if (!localTime || localTime === entry.at.toFormat("yyyy-MM-dd'T'HH:mm")) return;
    reschedule.mutate({ entry, localTime });
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up the post ${describe(entryOf(active.id))}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
    onDragOver: ({ over }) => (over ? `Over ${cellWords(String(over.id), person.locale)}.` : 'Not over a day or an hour.'),
    onDragEnd: ({ over }) => (over ? `Dropped on ${cellWords(String(over.id), person.locale)}.` : 'Dropped outside the calendar: not moved.'),
    onDragCancel: () => 'Not moved.',
  };
  const go = (next: CalendarSearch) => void navigate({ to: '/calendar', search: { view, ...(search.date ? { date: search.date } : {}), ...next } });
  const title = view === 'week' ? `Week of ${range.start.setLocale(person.locale).toLocaleString({ day: 'numeric', month: 'long', year: 'numeric' })}` : range.anchor.setLocale(person.locale).toLocaleString({ month: 'long', year: 'numeric' });
  return (
    <Page title="Calendar">
      <div className="calendar-toolbar">
        <div className="row wrap" role="group" aria-label="Period">
          <button type="button" className="button" onClick={() => go({ date: shifted(range, -1) })}>
            Previous<span className="visually-hidden"> {view}</span>
          </button>
          <button type="button" className="button" onClick={() => go({ date: undefined })}>
            Today
          </button>
          <button type="button" className="button" onClick={() => go({ date: shifted(range, 1) })}>
            Next<span className="visually-hidden"> {view}</span>
          </button>
        </div>
        <h2 className="calendar-title" aria-live="polite">
          {title}
        </h2>
        <div className="row wrap" role="group" aria-label="View">
          {(['week', 'month'] as const).map((option) => (
            <button key={option} type="button" className={`button ${view === option ? 'selected' : ''}`} aria-pressed={view === option} onClick={() => go({ view: option })}>
              {option === 'week' ? 'Week' : 'Month'}
            </button>
          ))}
        </div>
        <SelectField label="Time zone" className="calendar-zone" value={person.timeZone} onChange={(event) => person.setTimeZone(event.target.value)}>
          {timeZones().map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </SelectField>
      </div>
      {posts.isError ? <ProblemAlert problem={problemOf(posts.error)} /> : null}
      {refusal ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Not moved: {describe(refusal.entry)}</p>
          <p>{refusal.problem.detail}</p>
        </div>
      ) : null}
      <p className="visually-hidden" role="status">
        {reschedule.isSuccess ? moved : ''}
      </p>
      {canWrite ? <p className="muted">Drag a scheduled post to another {view === 'week' ? 'hour' : 'day'} to move it; with the keyboard, focus it, press Space, move with the arrow keys and press Space again.</p> : null}
      <DndContext sensors={sensors} onDragEnd={dropped} accessibility={{ announcements, screenReaderInstructions: { draggable: 'Press Space to pick up the post, the arrow keys to move it, Space to drop it.' } }}>
        {view === 'week' ? <WeekGrid range={range} cells={cells} canWrite={canWrite} /> : <MonthGrid range={range} cells={cells} canWrite={canWrite} />}
      </DndContext>
    </Page>
  );
}

function describe(entry: CalendarEntry | undefined): string {
  if (!entry) return '';
  const text = entry.post.text.length > 40 ? `${entry.post.text.slice(0, 40)}…` : entry.post.text || '(no text)';
  return `“${text}” at ${entry.at.toFormat('HH:mm')}`;
}

function cellWords(id: string, locale: string): string {
  const hour = /^hour:(.+)T(\d{2})$/.exec(id);
  const day = /^day:(.+)$/.exec(id);
  const date = hour?.[1] ?? day?.[1];
  if (!date) return id;
  const words = new Date(`${date}T12:00:00Z`).toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return hour ? `${words}, ${hour[2]}:00` : words;
}

type Cells = Map<string, CalendarEntry[]>;

function WeekGrid({ range, cells, canWrite }: { range: CalendarRange; cells: Cells; canWrite: boolean }) {
  const { locale } = usePerson();
  const today = DateTime.now().setZone(range.start.zone).toISODate();
  return (
    <div className="calendar-scroll">
      <table className="calendar-week">
        <caption className="visually-hidden">Posts by hour, {range.start.toISODate()} to {range.days[6]!.toISODate()}</caption>
        <thead>
          <tr>
            <th scope="col">
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
            <tr key={hour}>
              <th scope="row" className="calendar-hour">
                {String(hour).padStart(2, '0')}:00
              </th>
              {range.days.map((day) => (
                <Cell key={day.toISODate()} id={cellId(day, hour)} label={`${day.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })}, ${String(hour).padStart(2, '0')}:00`}>
                  {cells.get(cellId(day, hour))?.map((entry) => (
                    <Chip key={entry.key} entry={entry} canWrite={canWrite} />
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

function MonthGrid({ range, cells, canWrite }: { range: CalendarRange; cells: Cells; canWrite: boolean }) {
  const { locale } = usePerson();
  const weeks: DateTime[][] = [];
  for (let index = 0; index < range.days.length; index += 7) weeks.push(range.days.slice(index, index + 7));
  return (
    <div className="calendar-scroll">
      <table className="calendar-month">
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
              {week.map((day) => (
                <Cell key={day.toISODate()} id={cellId(day)} label={day.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })} outside={day.month !== range.anchor.month}>
                  <span className="calendar-date" aria-hidden="true">
                    {day.day}
                  </span>
                  {cells.get(cellId(day))?.map((entry) => (
                    <Chip key={entry.key} entry={entry} canWrite={canWrite} />
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

function Cell({ id, label, outside, children }: { id: string; label: string; outside?: boolean; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <td ref={setNodeRef} className={`calendar-cell ${isOver ? 'over' : ''} ${outside ? 'outside' : ''}`} data-cell={id} aria-label={label}>
      {children}
    </td>
  );
}

/** Memoized: a drag re-renders the calendar at each step, and a month can hold a thousand chips that did not change. */
const Chip = memo(function Chip({ entry, canWrite }: { entry: CalendarEntry; canWrite: boolean }) {
  const movable = canWrite && entry.movable;
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: entry.key, disabled: !movable });
  const networks = [...new Set(entry.deliveries.map((delivery) => NETWORK_NAMES[delivery.network]))].join(', ');
  const status = entry.deliveries[0]!.status;
  const text = entry.post.text.length > 60 ? `${entry.post.text.slice(0, 60)}…` : entry.post.text || '(no text)';
  return (
    <div
      ref={setNodeRef}
      className={`calendar-chip status-${status} ${isDragging ? 'dragging' : ''}`}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      data-post-id={entry.post.id}
      data-at={entry.at.toISO()}
    >
      {movable ? (
        <button type="button" className="chip-handle" {...attributes} {...listeners} aria-label={`Move “${text}” (${entry.at.toFormat('HH:mm')}, ${networks})`}>
          ⠿
        </button>
      ) : null}
      <Link to="/posts/$postId" params={{ postId: entry.post.id }} className="chip-link">
        <span className="chip-time">{entry.at.toFormat('HH:mm')}</span> <span className="chip-text">{text}</span>
        <span className="chip-meta">
          {networks} · {statusWords(status)}
        </span>
      </Link>
    </div>
  );
});
