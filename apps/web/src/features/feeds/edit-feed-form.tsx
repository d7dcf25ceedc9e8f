/**
 * A followed feed edited in place (PATCH /v1/feeds/:id): the channels each
 * new item goes to, how (queue, drafts, at once), the template and how often
 * it is read; its address stays (remove the feed and follow the new one).
 * What the API refuses is shown at the field its problem names.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { SelectField, TextField } from '../../ui/field';
import { ProblemAlert } from '../../ui/problem-alert';
import { channelsQuery } from '../channels/api';
import { ChannelPicker } from '../compose/channel-picker';
import { INTERVALS, MODES, intervalWords, type FeedMode, type FeedView } from './api';

export function EditFeedForm({ feed, onSaved, onCancel }: { feed: FeedView; onSaved: (feed: FeedView) => void; onCancel: () => void }) {
  const channels = useQuery(channelsQuery);
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>(feed.channelIds);
  const [mode, setMode] = useState<FeedMode>(feed.mode);
  const [template, setTemplate] = useState(feed.template);
  const [interval, setIntervalMinutes] = useState(feed.intervalMinutes);
  const alert = useRef<HTMLDivElement>(null);
  const modeName = useId();
  const titleId = useId();
  const usable = (channels.data ?? []).filter((channel) => channel.status !== 'disconnected' || feed.channelIds.includes(channel.id));
  // An interval set through the API that the list does not offer stays choosable.
  const intervals = INTERVALS.some((option) => option.minutes === feed.intervalMinutes) ? INTERVALS : [...INTERVALS, { minutes: feed.intervalMinutes, label: intervalWords(feed.intervalMinutes) }];
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/feeds/{id}', { params: { path: { id: feed.id } }, body: { channelIds: selected, mode, template, intervalMinutes: interval } })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['feeds'] });
      onSaved(saved);
    },
    onError: () => setTimeout(() => alert.current?.focus(), 0),
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack feed-form feed-edit" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h4 id={titleId}>Edit this feed</h4>
      <ProblemAlert ref={alert} problem={problem} shownAt={['channelIds', 'template', 'mode', 'intervalMinutes']} />
      <ChannelPicker channels={usable} disconnected={[]} selected={selected} onChange={setSelected} errors={fieldMessages(problem, 'channelIds')} />
      <fieldset>
        <legend>Each new item</legend>
        {MODES.map((option) => (
          <label key={option.mode} className="radio">
            <input type="radio" name={modeName} value={option.mode} checked={mode === option.mode} onChange={() => setMode(option.mode)} />
            <span>
              <span className="radio-label">{option.label}</span>
              <span className="muted"> {option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="row wrap feed-form-row">
        <TextField
          label="Post text"
          className="grow-field"
          value={template}
          onChange={(event) => setTemplate(event.target.value)}
          hint="{{title}}, {{link}} and {{summary}} are replaced by the item's. New items only: posts already made keep their text."
          errors={fieldMessages(problem, 'template')}
        />
        <SelectField label="Read it" value={String(interval)} onChange={(event) => setIntervalMinutes(Number(event.target.value))} errors={fieldMessages(problem, 'intervalMinutes')}>
          {intervals.map((option) => (
            <option key={option.minutes} value={option.minutes}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="row">
        <button type="submit" className="button primary small" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save feed'}
        </button>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
