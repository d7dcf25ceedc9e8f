/**
 * A channel's posting schedule (its queue's weekly times) and time zone, edited
 * as a person thinks of them: for each day, the times posts go out there.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { ChannelView, PostingSlot, Weekday } from '../../api/views';
import { SelectField } from '../../ui/field';
import { timeZones } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';

export const WEEKDAYS: { day: Weekday; name: string }[] = [
  { day: 'mon', name: 'Monday' },
  { day: 'tue', name: 'Tuesday' },
  { day: 'wed', name: 'Wednesday' },
  { day: 'thu', name: 'Thursday' },
  { day: 'fri', name: 'Friday' },
  { day: 'sat', name: 'Saturday' },
  { day: 'sun', name: 'Sunday' },
];

function sorted(slots: PostingSlot[]): PostingSlot[] {
  const order = WEEKDAYS.map((entry) => entry.day);
  return [...slots].sort((a, b) => order.indexOf(a.day) - order.indexOf(b.day) || a.time.localeCompare(b.time));
}

export function PostingTimes({ channel, canEdit }: { channel: ChannelView; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [timezone, setTimezone] = useState(channel.timezone);
  const [slots, setSlots] = useState<PostingSlot[]>(() => sorted(channel.postingSchedule.slots));
  const [adding, setAdding] = useState<Record<Weekday, string>>({ mon: '09:00', tue: '09:00', wed: '09:00', thu: '09:00', fri: '09:00', sat: '09:00', sun: '09:00' });
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { timezone, postingSchedule: { slots } } })),
    onSuccess: async (saved) => {
      setTimezone(saved.timezone);
      setSlots(sorted(saved.postingSchedule.slots));
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const zones = timeZones().includes(channel.timezone) ? timeZones() : [channel.timezone, ...timeZones()];
  const add = (day: Weekday) => {
    const time = adding[day];
    if (!time || slots.some((slot) => slot.day === day && slot.time === time)) return;
    setSlots(sorted([...slots, { day, time }]));
  };
  const remove = (slot: PostingSlot) => setSlots(slots.filter((other) => other !== slot));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="posting-times-heading">
      <h2 id="posting-times-heading">Posting times</h2>
      <p className="muted">Posts added to the queue go out at the next free time below, in the channel's time zone: 09:00 stays 09:00 there when the clocks change.</p>
      <SelectField label="Time zone" value={timezone} disabled={!canEdit} onChange={(event) => setTimezone(event.target.value)} errors={fieldMessages(problem, 'timezone')}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replace(/_/g, ' ')}
          </option>
        ))}
      </SelectField>
      <table className="slots">
        <caption className="visually-hidden">Posting times per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Times</th>
            {canEdit ? <th scope="col">Add a time</th> : null}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map(({ day, name }) => {
            const times = slots.filter((slot) => slot.day === day);
            return (
              <tr key={day}>
                <th scope="row">{name}</th>
                <td>
                  {times.length === 0 ? <span className="muted">none</span> : null}
                  <ul className="chips">
                    {times.map((slot) => (
                      <li key={slot.time} className="chip">
                        {slot.time}
                        {canEdit ? (
                          <button type="button" className="chip-remove" aria-label={`Remove ${slot.time} on ${name}`} onClick={() => remove(slot)}>
                            ×
                          </button>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </td>
                {canEdit ? (
                  <td>
                    <div className="row">
                      <label className="visually-hidden" htmlFor={`add-${day}`}>
                        New time on {name}
                      </label>
                      <input id={`add-${day}`} type="time" value={adding[day]} onChange={(event) => setAdding({ ...adding, [day]: event.target.value })} />
                      <button type="button" className="button" onClick={() => add(day)}>
                        Add<span className="visually-hidden"> {adding[day]} on {name}</span>
                      </button>
                    </div>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {fieldMessages(problem, 'postingSchedule').length > 0 ? (
        <ul className="field-errors">
          {fieldMessages(problem, 'postingSchedule').map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
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
