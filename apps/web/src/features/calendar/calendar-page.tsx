/**
 * The calendar: a month by day, a week or a day by hour, in the person's
 * zone, from one GET /v1/calendar per visible range; at phone width a list
 * of days. Drag a scheduled post (pointer, touch, or keyboard: Space to
 * lift, arrows to move, Space to drop) and it is rescheduled by PATCH
 * /v1/posts/:id, keeping its wall time in its channels' zone unless the
 * person chose to keep their own; a queued post asks first. A click on an
 * empty slot opens compose at that time. Filtered by channel and by tag
 * (the API's `?channelId=` and `?tag=`).
 */
import { DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { DateTime } from 'luxon';
import { useCallback, useMemo, useState } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf, type Problem } from '../../api/problem';
import { SelectField } from '../../ui/field';
import { Page } from '../../ui/page';
import { currentTimeZone, timeZones, usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import { channelsQuery, NETWORK_NAMES } from '../channels/api';
import { IDLE_INTERVAL_MS, LIVE_INTERVAL_MS } from '../posts/live';
import { AgendaList } from './agenda-list';
import { calendarQuery } from './api';
import { calendarRange, entriesByCell, parseCell, placeEntries, shifted, zoneName, type CalendarEntryView, type CalendarView, type PlacedEntry } from './calendar-grid';
import { movedTo, type KeepTime, type Move } from './calendar-moves';
import { cellKeyboardCoordinates } from './cell-keys';
import { ConfirmMove } from './confirm-move';
import type { ChipContext } from './entry-chip';
import { MonthGrid } from './month-grid';
import { TimeGrid } from './time-grid';
import type { CalendarSearch } from './search';
import { useNarrow } from './use-narrow';
import { tagColour, tagsQuery } from '../tags/api';
import { TagFilter } from '../tags/tag-filter';
import './calendar.css';


const VIEWS: { view: CalendarView; label: string }[] = [
  { view: 'day', label: 'Day' },
  { view: 'week', label: 'Week' },
  { view: 'month', label: 'Month' },
];

/** Every 2 s while something publishes or is due within two minutes, every 30 s while something is scheduled. */
function refreshEvery(entries: CalendarEntryView[] | undefined, now = Date.now()): number | false {
  if (!entries) return IDLE_INTERVAL_MS;
  const statuses = entries.flatMap((entry) => entry.deliveries.map((delivery) => ({ status: delivery.status, at: Date.parse(entry.scheduledAt) })));
  if (statuses.some(({ status, at }) => status === 'publishing' || (status === 'scheduled' && at - now < 120_000))) return LIVE_INTERVAL_MS;
  return statuses.some(({ status }) => status === 'scheduled' || status === 'pending_approval') ? IDLE_INTERVAL_MS : false;
}

/**
 * The range's read started by the route (as soon as the session is known), before the page first renders.
 * The calendar's first visit waits for it (the frame is on screen meanwhile), so the page is drawn once, with
 * its posts, not empty and then again (a month of 1,000 posts drew its grid twice); a later range (Next, a
 * filter) shows at once and its posts as they come.
 */
export async function prefetchCalendar(queryClient: QueryClient, search: CalendarSearch): Promise<void> {
  const range = calendarRange(search.view ?? 'week', search.date, currentTimeZone());
  const first = queryClient.getQueriesData({ queryKey: ['posts', 'calendar'] }).every(([, data]) => data === undefined);
  const read = queryClient.prefetchQuery(calendarQuery({ from: range.start.toUTC().toISO()!, to: range.end.toUTC().toISO()!, channelId: search.channel, tag: search.tag }));
  if (first) await read;
}

interface PendingMove {
  placed: PlacedEntry;
  move: Move;
}

export function CalendarPage() {
  const search = useSearch({ strict: false }) as CalendarSearch;
  const navigate = useNavigate();
  const person = usePerson();
  const queryClient = useQueryClient();
  const canWrite = useCan('posts.write');
  const narrow = useNarrow();
  const view = search.view ?? 'week';
  const range = useMemo(() => calendarRange(view, search.date, person.timeZone), [view, search.date, person.timeZone]);
  const from = range.start.toUTC().toISO()!;
  const to = range.end.toUTC().toISO()!;
  const channels = useQuery(channelsQuery);
  const calendar = useQuery({ ...calendarQuery({ from, to, channelId: search.channel, tag: search.tag }), refetchInterval: (query) => refreshEvery(query.state.data?.entries) });
  const [keep, setKeep] = useState<KeepTime>('channel');
  // Worked out once per answer (not on every render, e.g. each step of a drag), and looked up per cell.
  const placed = useMemo(() => placeEntries(calendar.data?.entries ?? [], person.timeZone), [calendar.data, person.timeZone]);
  const cells = useMemo(() => entriesByCell(placed, narrow ? 'month' : view), [placed, view, narrow]);
  const byKey = useMemo(() => new Map(placed.map((entry) => [entry.key, entry])), [placed]);
  const networkById = useMemo(() => new Map((channels.data ?? []).map((channel) => [channel.id, NETWORK_NAMES[channel.network]])), [channels.data]);
  const networkOf = useCallback((id: string) => networkById.get(id) ?? 'Channel', [networkById]);
  const tags = useQuery(tagsQuery).data;
  const colourOf = useCallback((name: string) => tagColour(name, tags), [tags]);
  const context = useMemo<ChipContext>(() => ({ canWrite: canWrite && !narrow, viewerZone: person.timeZone, networkOf, tagColour: colourOf }), [canWrite, narrow, person.timeZone, networkOf, colourOf]);
  const [refusal, setRefusal] = useState<{ placed: PlacedEntry; problem: Problem } | null>(null);
  const [pending, setPending] = useState<PendingMove | null>(null);
  const [moved, setMoved] = useState('');
  const reschedule = useMutation({
    mutationFn: ({ placed, move }: PendingMove) => call(herald.PATCH('/v1/posts/{id}', { params: { path: { id: placed.entry.postId } }, body: { schedule: { mode: 'at', localTime: move.localTime, timezone: move.timezone } } })),
    onMutate: () => setRefusal(null),
    onSuccess: async (post, { move }) => {
      setMoved(`Moved to ${moveWords(move, person.timeZone)}.`);
      queryClient.setQueryData(['posts', post.id], post);
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
    },
    onError: (error, { placed }) => setRefusal({ placed, problem: problemOf(error) }),
  });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: cellKeyboardCoordinates }));
  const dropped = ({ active, over }: DragEndEvent) => {
    const entry = byKey.get(String(active.id));
    if (!entry || !over) return;
    const move = movedTo(entry, String(over.id), person.timeZone, keep);
    if (!move) return;
    if (entry.entry.queued) setPending({ placed: entry, move });
    else reschedule.mutate({ placed: entry, move });
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up the post ${describe(byKey.get(String(active.id)))}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
    onDragOver: ({ over }) => (over ? `Over ${cellWords(String(over.id), person.locale)}.` : 'Not over a day or an hour.'),
    onDragEnd: ({ over }) => (over ? `Dropped on ${cellWords(String(over.id), person.locale)}.` : 'Dropped outside the calendar: not moved.'),
    onDragCancel: () => 'Not moved.',
  };
  const go = (next: CalendarSearch) => void navigate({ to: '/calendar', search: { view, ...(search.date ? { date: search.date } : {}), ...(search.channel ? { channel: search.channel } : {}), ...(search.tag ? { tag: search.tag } : {}), ...next } });
  const composeAt = (day: DateTime, hour = 9) => ({ at: day.set({ hour, minute: 0 }).toFormat("yyyy-MM-dd'T'HH:mm"), tz: person.timeZone });
  const openCompose = canWrite ? (day: DateTime, hour?: number) => void navigate({ to: '/compose', search: composeAt(day, hour) }) : undefined;
  const title =
    view === 'month'
      ? range.anchor.setLocale(person.locale).toLocaleString({ month: 'long', year: 'numeric' })
      : view === 'week'
        ? `Week of ${range.start.setLocale(person.locale).toLocaleString({ day: 'numeric', month: 'long', year: 'numeric' })}`
        : range.anchor.setLocale(person.locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const gridProps = { range, cells, context, locale: person.locale, onEmptyClick: openCompose };
  return (
    <Page
      title="Calendar"
      actions={
        canWrite ? (
          <Link to="/compose" className="button primary">
            New post
          </Link>
        ) : undefined
      }
    >
      <div className="cal-toolbar">
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
        <h2 className="cal-title" aria-live="polite">
          {title}
        </h2>
        <div className="row wrap" role="group" aria-label="View">
          {VIEWS.map((option) => (
            <button key={option.view} type="button" className={`button ${view === option.view ? 'selected' : ''}`} aria-pressed={view === option.view} onClick={() => go({ view: option.view })}>
              {option.label}
            </button>
          ))}
        </div>
      </div>
      <div className="cal-filters">
        <SelectField label="Channel" value={search.channel ?? ''} onChange={(event) => go({ channel: event.target.value || undefined })}>
          <option value="">All channels</option>
          {(channels.data ?? []).map((channel) => (
            <option key={channel.id} value={channel.id}>
              {NETWORK_NAMES[channel.network]}: {channel.handle}
            </option>
          ))}
        </SelectField>
        <TagFilter value={search.tag} onChange={(tag) => go({ tag })} />
        <SelectField label="Time zone" value={person.timeZone} onChange={(event) => person.setTimeZone(event.target.value)}>
          {timeZones().map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </SelectField>
        {canWrite && !narrow ? (
          <SelectField label="A moved post keeps" value={keep} onChange={(event) => setKeep(event.target.value as KeepTime)}>
            <option value="channel">its channel’s time</option>
            <option value="mine">my time ({zoneName(person.timeZone)})</option>
          </SelectField>
        ) : null}
      </div>
      {calendar.isError ? <ProblemAlert problem={problemOf(calendar.error)} /> : null}
      {calendar.data?.truncated ? <p className="alert alert-warn">More posts fall in this range than one view shows: pick a channel or a shorter view.</p> : null}
      {refusal ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Not moved: {describe(refusal.placed)}</p>
          <p>{refusal.problem.detail}</p>
        </div>
      ) : null}
      <p className="visually-hidden" role="status">
        {reschedule.isSuccess ? moved : ''}
      </p>
      {canWrite && !narrow ? (
        <p className="muted cal-hint">
          Click an empty {view === 'month' ? 'day' : 'hour'} to write a post for it. Drag a scheduled post to another {view === 'month' ? 'day' : 'hour'} to move it; with the keyboard, focus its handle, press Space, move with the arrow keys and press Space again.
        </p>
      ) : null}
      {narrow ? (
        <AgendaList range={range} cells={cells} context={context} locale={person.locale} composeAt={canWrite ? (day) => composeAt(day) : undefined} />
      ) : (
        <DndContext sensors={sensors} onDragEnd={dropped} accessibility={{ announcements, screenReaderInstructions: { draggable: 'Press Space to pick up the post, the arrow keys to move it, Space to drop it.' } }}>
          {view === 'month' ? <MonthGrid {...gridProps} /> : <TimeGrid {...gridProps} />}
        </DndContext>
      )}
      <ConfirmMove
        open={pending !== null}
        words={pending ? `${describe(pending.placed)} → ${moveWords(pending.move, person.timeZone)}` : ''}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          if (pending) reschedule.mutate(pending);
          setPending(null);
        }}
      />
    </Page>
  );
}

function moveWords(move: Move, viewerZone: string): string {
  const at = DateTime.fromISO(move.localTime, { zone: move.timezone });
  const theirs = `${at.toFormat('d LLL HH:mm')}${move.timezone === viewerZone ? '' : ` ${zoneName(move.timezone)}`}`;
  return move.timezone === viewerZone ? theirs : `${theirs} (${at.setZone(viewerZone).toFormat('HH:mm')} your time)`;
}

function describe(placed: PlacedEntry | undefined): string {
  if (!placed) return '';
  const text = placed.entry.excerpt.length > 40 ? `${placed.entry.excerpt.slice(0, 40)}…` : placed.entry.excerpt || '(no text)';
  return `“${text}” at ${placed.at.toFormat('HH:mm')}`;
}

function cellWords(id: string, locale: string): string {
  const cell = parseCell(id);
  if (!cell) return id;
  const words = new Date(`${cell.date}T12:00:00Z`).toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return cell.hour === undefined ? words : `${words}, ${String(cell.hour).padStart(2, '0')}:00`;
}
