/**
 * The best-times heat map: engagements per post by hour of the week (each
 * post in its channel's zone), the best slots named in words, and, for one
 * channel, "Use these as my posting schedule": the channel's queue times
 * become those slots (after a confirmation naming them and what they replace).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import type { ChannelView, PostingSlot } from '../../api/views';
import { ConfirmButton } from '../../ui/confirm-button';
import { ProblemAlert } from '../../ui/problem-alert';
import { zoneName } from '../../ui/time';
import { useCan } from '../auth/session';
import { channelName } from '../channels/api';
import type { BestSlot, HourCell } from './api';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const FULL_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const SLOT_DAYS: PostingSlot['day'][] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A best slot as a posting slot of the channel's schedule: its weekday and hour, on the hour. */
export function slotOf(slot: Pick<BestSlot, 'weekday' | 'hour'>): PostingSlot {
  return { day: SLOT_DAYS[slot.weekday - 1]!, time: `${String(slot.hour).padStart(2, '0')}:00` };
}

function slotWords(slot: Pick<BestSlot, 'weekday' | 'hour'>): string {
  return `${FULL_DAYS[slot.weekday - 1]} ${String(slot.hour).padStart(2, '0')}:00`;
}

export function BestTimes({ cells, best, timezone, channel }: { cells: HourCell[]; best: BestSlot[]; timezone: string; channel?: ChannelView }) {
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
              <strong>{slotWords(slot)}</strong>{' '}
              <span className="muted">
                {slot.average} engagements a post, from {slot.posts} {slot.posts === 1 ? 'post' : 'posts'} ({slot.confidence} confidence)
              </span>
            </li>
          ))}
        </ol>
      )}
      {best.length > 0 ? <p className="muted">Times in {zoneName(channel?.timezone ?? timezone)} time{channel ? `, the zone of ${channelName(channel)}` : ", each post's in its channel's zone"}.</p> : null}
      {best.length > 0 && channel ? <UseAsSchedule channel={channel} best={best} /> : null}
      {best.length > 0 && !channel ? <p className="muted">Pick a channel above to use its best times as its posting schedule.</p> : null}
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

/** Replaces the channel's posting times with the best slots, once confirmed; says what it did, with a link to the channel's schedule. */
function UseAsSchedule({ channel, best }: { channel: ChannelView; best: BestSlot[] }) {
  const queryClient = useQueryClient();
  const canManage = useCan('channels.manage');
  const slots = best.map(slotOf);
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { postingSchedule: { slots } } })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  if (!canManage) return null;
  const words = new Intl.ListFormat('en', { type: 'conjunction' }).format(best.map(slotWords));
  const current = channel.postingSchedule.slots.length;
  return (
    <div className="stack">
      <div>
        <ConfirmButton
          label="Use these as my posting schedule"
          title={`Post on ${channelName(channel)} at these times?`}
          description={`Its queue's posting times become ${words} (${zoneName(channel.timezone)} time), in place of the ${current} it has now. Queued posts move to the new times, in their order.`}
          confirmLabel="Use these times"
          tone="plain"
          disabled={save.isPending}
          onConfirm={() => save.mutate()}
        />
      </div>
      {save.error ? <ProblemAlert problem={problemOf(save.error)} /> : null}
      {save.isSuccess ? (
        <p role="status" className="alert alert-ok">
          Saved: {channelName(channel)} now posts from its queue on {words}.{' '}
          <Link to="/channels/$channelId" params={{ channelId: channel.id }} search={{ tab: 'times' }}>
            See its posting times
          </Link>
        </p>
      ) : null}
    </div>
  );
}
