/** The best-times heat map: engagements per post by hour of the week (each post in its channel's zone), and the best slots named in words. */
import type { BestSlot, HourCell } from './api';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const FULL_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function BestTimes({ cells, best }: { cells: HourCell[]; best: BestSlot[] }) {
  const byKey = new Map(cells.map((cell) => [`${cell.weekday}-${cell.hour}`, cell]));
  const max = Math.max(1, ...cells.map((cell) => cell.average));
  return (
    <section aria-labelledby="best-times-heading">
      <h2 id="best-times-heading">Best times to post</h2>
      {best.length === 0 ? (
        <p className="muted">No history yet: the map fills as published posts are measured.</p>
      ) : (
        <ol className="best-slots">
          {best.map((slot) => (
            <li key={`${slot.weekday}-${slot.hour}`}>
              <strong>
                {FULL_DAYS[slot.weekday - 1]} {String(slot.hour).padStart(2, '0')}:00
              </strong>{' '}
              <span className="muted">
                {slot.average} engagements a post, from {slot.posts} {slot.posts === 1 ? 'post' : 'posts'} ({slot.confidence} confidence)
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="heatmap" role="img" aria-label="Engagements per post by hour of the week">
        <span />
        {HOURS.map((hour) => (
          <span key={hour} className="heatmap-hour" aria-hidden="true">
            {hour % 6 === 0 ? hour : ''}
          </span>
        ))}
        {DAYS.map((day, index) => (
          <Row key={day} day={day} weekday={index + 1} byKey={byKey} max={max} />
        ))}
      </div>
    </section>
  );
}

function Row({ day, weekday, byKey, max }: { day: string; weekday: number; byKey: Map<string, HourCell>; max: number }) {
  return (
    <>
      <span className="heatmap-day" aria-hidden="true">
        {day}
      </span>
      {HOURS.map((hour) => {
        const cell = byKey.get(`${weekday}-${hour}`);
        const level = cell ? Math.max(1, Math.ceil((cell.average / max) * 4)) : 0;
        return <span key={hour} className="heatmap-cell" data-level={level} title={cell ? `${day} ${hour}:00 — ${cell.average} engagements a post (${cell.posts})` : undefined} />;
      })}
    </>
  );
}
