/**
 * A series edited in place (PATCH /v1/series/:id): its text and channels,
 * from its next occurrence on (the occurrences made ahead and not yet taken
 * by a worker are made again with the change). Its rule stays: to repeat
 * on other days, delete the series and make a new one from compose. What
 * the API refuses (a text a channel's network refuses, naming the channel)
 * is shown at the field.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { TextAreaField } from '../../ui/field';
import { ProblemAlert } from '../../ui/problem-alert';
import { channelsQuery } from '../channels/api';
import { ChannelPicker } from '../compose/channel-picker';
import type { SeriesView } from './api';

export function EditSeriesForm({ series, onSaved, onCancel }: { series: SeriesView; onSaved: () => void; onCancel: () => void }) {
  const channels = useQuery(channelsQuery);
  const queryClient = useQueryClient();
  const [text, setText] = useState(series.text);
  const [selected, setSelected] = useState<string[]>(series.channelIds);
  const alert = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const usable = (channels.data ?? []).filter((channel) => channel.status !== 'disconnected' || series.channelIds.includes(channel.id));
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/series/{id}', { params: { path: { id: series.id } }, body: { text, channelIds: selected } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['series'] });
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      onSaved();
    },
    onError: () => setTimeout(() => alert.current?.focus(), 0),
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack series-edit" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>Edit this series</h3>
      <p className="muted">From its next post on: the posts made ahead are made again with the change; published ones stay as they went out.</p>
      <ProblemAlert ref={alert} problem={problem} shownAt={['text', 'channelIds']} />
      <TextAreaField label="Text" rows={4} value={text} onChange={(event) => setText(event.target.value)} errors={fieldMessages(problem, 'text')} />
      <ChannelPicker channels={usable} disconnected={[]} selected={selected} onChange={setSelected} errors={fieldMessages(problem, 'channelIds')} />
      <div className="row">
        <button type="submit" className="button primary small" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save series'}
        </button>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
