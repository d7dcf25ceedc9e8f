/**
 * A channel's evergreen queue (PATCH /v1/channels/:id {evergreenMinRepeatDays}):
 * when on, its published posts marked evergreen come back at the end of its
 * queue, never sooner than the days set; off is null. The API's refusal is
 * shown at the field.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { TextField } from '../../ui/field';
import { ProblemAlert } from '../../ui/problem-alert';

export function EvergreenSettings({ channel }: { channel: ChannelView }) {
  const queryClient = useQueryClient();
  const [on, setOn] = useState(channel.evergreenMinRepeatDays !== null);
  const [days, setDays] = useState(String(channel.evergreenMinRepeatDays ?? 30));
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { evergreenMinRepeatDays: on ? Number(days) : null } })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="card stack" aria-labelledby="evergreen-heading" onSubmit={submit} noValidate>
      <h2 id="evergreen-heading">Evergreen queue</h2>
      <p className="muted">Posts marked evergreen come back at the end of this channel’s queue once published, so good content keeps working. Where the network refuses the same text twice (X), the next variant goes out, or the post is skipped and says so.</p>
      <ProblemAlert problem={problem} shownAt={['evergreenMinRepeatDays']} />
      <label className="checkbox">
        <input type="checkbox" checked={on} onChange={(event) => setOn(event.target.checked)} />
        <span className="radio-label">Recycle evergreen posts</span>
      </label>
      {on ? (
        <TextField label="At least this many days between repeats" type="number" min={1} max={3650} className="narrow-field" value={days} onChange={(event) => setDays(event.target.value)} errors={fieldMessages(problem, 'evergreenMinRepeatDays')} />
      ) : null}
      <div className="row">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save
        </button>
        {save.isSuccess && !save.isPending ? (
          <span role="status" className="muted">
            {save.data.evergreenMinRepeatDays ? `Saved: evergreen posts come back after ${save.data.evergreenMinRepeatDays} days or more.` : 'Saved: this channel does not recycle.'}
          </span>
        ) : null}
      </div>
    </form>
  );
}
