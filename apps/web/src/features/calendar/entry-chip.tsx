/**
 * One post on the calendar: its time in the person's zone (and in its
 * channels' zone when that is another), its networks, excerpt and status; a
 * handle to drag it when it can move. Memoized: a drag re-renders the grid at
 * each step.
 */
import { useDraggable } from '@dnd-kit/core';
import { Link } from '@tanstack/react-router';
import { memo } from 'react';
import { statusWords } from '../../ui/status';
import { zoneName, type PlacedEntry } from './calendar-grid';

export interface ChipContext {
  canWrite: boolean;
  viewerZone: string;
  /** Channel id → what to call it ("Mastodon"). */
  networkOf: (channelId: string) => string;
  /** A tag's colour (its own, or one from its name). */
  tagColour: (name: string) => string;
}

export function entryTimeWords(placed: PlacedEntry, viewerZone: string): { mine: string; theirs: string | null } {
  const mine = placed.at.toFormat('HH:mm');
  const theirs = placed.entry.timezone !== viewerZone && placed.at.offset !== placed.at.setZone(placed.entry.timezone).offset ? `${placed.entry.localTime.slice(11)} ${zoneName(placed.entry.timezone)}` : null;
  return { mine, theirs };
}

export const EntryChip = memo(function EntryChip({ placed, context, compact }: { placed: PlacedEntry; context: ChipContext; compact?: boolean }) {
  const movable = context.canWrite && placed.movable;
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: placed.key, disabled: !movable });
  const networks = [...new Set(placed.entry.channelIds.map(context.networkOf))].join(', ');
  const text = placed.entry.excerpt || '(no text)';
  const { mine, theirs } = entryTimeWords(placed, context.viewerZone);
  return (
    <div
      ref={setNodeRef}
      className={`cal-chip calendar-chip status-${placed.status}${isDragging ? ' dragging' : ''}${compact ? ' compact' : ''}`}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      data-post-id={placed.entry.postId}
      data-at={placed.entry.scheduledAt}
      data-local-time={placed.entry.localTime}
      data-zone={placed.entry.timezone}
    >
      {movable ? (
        <button type="button" className="cal-chip-handle" {...attributes} {...listeners} aria-label={`Move “${text.slice(0, 60)}” (${mine}${theirs ? `, ${theirs}` : ''}, ${networks})`}>
          ⠿
        </button>
      ) : null}
      <Link
        to="/posts/$postId"
        params={{ postId: placed.entry.postId }}
        className="cal-chip-link"
        title={`${mine}${theirs ? ` (${theirs})` : ''}${placed.entry.queued ? ', in the queue' : ''}: ${text} · ${networks} · ${statusWords(placed.status)}${placed.entry.tags.length ? ` · ${placed.entry.tags.join(', ')}` : ''}`}
        onClick={(event) => event.stopPropagation()}
      >
        <span className="cal-chip-time">
          {mine}
          {theirs ? <span className="cal-chip-zone"> · {theirs}</span> : null}
          {placed.entry.queued ? <span className="cal-chip-queued"> · queue</span> : null}
        </span>{' '}
        <span className="cal-chip-text">{text}</span>
        <span className="cal-chip-meta">
          {networks} · {statusWords(placed.status)}
          {placed.entry.seriesId ? <span className="cal-chip-series"> · repeats</span> : null}
        </span>
        {placed.entry.tags.length > 0 ? (
          <span className="cal-chip-tags">
            {placed.entry.tags.map((tag) => (
              <span key={tag} className="cal-chip-tag">
                <span className="tag-dot" style={{ background: context.tagColour(tag) }} aria-hidden="true" />
                {tag}
              </span>
            ))}
          </span>
        ) : null}
      </Link>
    </div>
  );
});
