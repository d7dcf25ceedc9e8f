/**
 * A channel's posting schedule (its queue's weekly times) and time zone, edited
 * as people say it: weekday groups with their times ("Weekdays at 09:00,
 * 13:00"), and many times on many days added in one step.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { ChannelView, PostingSlot, Weekday } from '../../api/views';
import { FieldErrors, SelectField } from '../../ui/field';
import { timeZones, usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { zoneName } from '../../ui/time';
import { DAYS, DAY_NAMES, WEEKDAYS, WEEKEND, addSlots, daysWords, groupSlots, parseTimes, removeSlots, sortSlots } from './slot-groups';

export function PostingTimes({ channel, canEdit }: { channel: ChannelView; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const person = usePerson();
  const [timezone, setTimezone] = useState(channel.timezone);
  const [slots, setSlots] = useState<PostingSlot[]>(() => sortSlots(channel.postingSchedule.slots));
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { timezone, postingSchedule: { slots } } })),
    onSuccess: async (saved) => {
      setTimezone(saved.timezone);
      setSlots(sortSlots(saved.postingSchedule.slots));
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const zones = timeZones().includes(channel.timezone) ? timeZones() : [channel.timezone, ...timeZones()];
  const groups = groupSlots(slots);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="posting-times-heading">
      <h2 id="posting-times-heading">Posting times</h2>
      <p className="muted">
        Posts added to the queue go out at the next free time below, in {zoneName(timezone)} time: 09:00 stays 09:00 there when the clocks change.
        {timezone !== person.timeZone ? ` You are in ${zoneName(person.timeZone)} time: the queue shows each post's time in yours.` : ''}
      </p>
      {channel.postingSchedule.isDefault && sameSlots(slots, channel.postingSchedule.slots) ? (
        <p className="alert alert-info">These are the default times Herald gave the channel, so its queue works now: change them to suit its audience.</p>
      ) : null}
      <SelectField label="Time zone" value={timezone} disabled={!canEdit} onChange={(event) => setTimezone(event.target.value)} errors={fieldMessages(problem, 'timezone')}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replace(/_/g, ' ')}
          </option>
        ))}
      </SelectField>
      {groups.length === 0 ? <p className="muted">No posting times yet: the queue cannot place posts until there are some.</p> : null}
      <ul className="slot-groups" aria-label={`Posting times, ${zoneName(timezone)} time`}>
        {groups.map((group) => {
          const words = daysWords(group.days);
          return (
            <li key={group.days.join()} className="slot-group">
              <span className="slot-group-days">{words}</span>
              <ul className="chips">
                {group.times.map((time) => (
                  <li key={time} className="chip">
                    {time}
                    {canEdit ? (
                      <button type="button" className="chip-remove" aria-label={`Remove ${time} on ${words}`} onClick={() => setSlots(removeSlots(slots, group.days, time))}>
                        ×
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
      {canEdit ? <AddTimes onAdd={(days, times) => setSlots(addSlots(slots, days, times))} /> : null}
      <FieldErrors messages={fieldMessages(problem, 'postingSchedule')} />
      <ProblemAlert problem={problem} shownAt={['timezone', 'postingSchedule']} />
      {save.isSuccess && !save.isPending ? (
        <p role="status" className="alert alert-ok">
          Saved. The queued posts take the new times, in their order.
        </p>
      ) : null}
      {canEdit ? (
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save posting times'}
        </button>
      ) : null}
    </form>
  );
}

/** Days (with "every day", "weekdays", "weekends" in one step) and one or more times: every pair added at once. */
function AddTimes({ onAdd }: { onAdd: (days: Weekday[], times: string[]) => void }) {
  const [days, setDays] = useState<Weekday[]>(WEEKDAYS);
  const [text, setText] = useState('09:00');
  const timesId = useId();
  const { times, unreadable } = parseTimes(text);
  const toggle = (day: Weekday) => setDays(days.includes(day) ? days.filter((entry) => entry !== day) : DAYS.filter((entry) => entry === day || days.includes(entry)));
  return (
    <fieldset className="stack">
      <legend>Add times</legend>
      <div className="row wrap" role="group" aria-label="Pick days">
        <button type="button" className="button small" onClick={() => setDays(DAYS)}>
          Every day
        </button>
        <button type="button" className="button small" onClick={() => setDays(WEEKDAYS)}>
          Weekdays
        </button>
        <button type="button" className="button small" onClick={() => setDays(WEEKEND)}>
          Weekends
        </button>
      </div>
      <div className="day-picks">
        {DAYS.map((day) => (
          <label key={day} className="day-pick">
            <input type="checkbox" checked={days.includes(day)} onChange={() => toggle(day)} aria-label={DAY_NAMES[day]} />
            <span aria-hidden="true">{DAY_NAMES[day].slice(0, 3)}</span>
          </label>
        ))}
      </div>
      <div className="field">
        <label htmlFor={timesId}>Times</label>
        <input id={timesId} value={text} inputMode="numeric" onChange={(event) => setText(event.target.value)} aria-describedby={`${timesId}-hint`} aria-invalid={unreadable.length > 0 ? true : undefined} />
        <p className="field-hint" id={`${timesId}-hint`}>
          One or more, 24-hour: “09:00, 13:00, 17:30”.
        </p>
        {unreadable.length > 0 ? <p className="field-errors">Not a time: {unreadable.join(', ')}</p> : null}
      </div>
      <div>
        <button type="button" className="button" disabled={days.length === 0 || times.length === 0 || unreadable.length > 0} onClick={() => onAdd(days, times)}>
          Add {times.join(', ') || 'times'} on {days.length ? daysWords(days) : 'no day'}
        </button>
      </div>
    </fieldset>
  );
}

/** Whether the edited times are still the saved ones (in any order). */
function sameSlots(edited: PostingSlot[], saved: PostingSlot[]): boolean {
  const key = (slots: PostingSlot[]) => JSON.stringify(sortSlots(slots).map((slot) => `${slot.day} ${slot.time}`));
  return key(edited) === key(saved);
}
