/**
 * Follow a feed (POST /v1/feeds): its address, the channels each new item
 * goes to, how (queue, drafts, at once), from which template, how often it
 * is read, and whether the items already in it make posts. What the API
 * refuses (an address its URL policy refuses, a template, a channel) is
 * shown at the field its problem names, in its words.
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
import { INTERVALS, MODES, type FeedMode, type FeedView } from './api';

export function AddFeedForm({ onAdded }: { onAdded: (feed: FeedView) => void }) {
  const channels = useQuery(channelsQuery);
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [mode, setMode] = useState<FeedMode>('queue');
  const [template, setTemplate] = useState('{{title}} {{link}}');
  const [interval, setIntervalMinutes] = useState(60);
  const [skipExisting, setSkipExisting] = useState(false);
  const alert = useRef<HTMLDivElement>(null);
  const modeName = useId();
  const usable = (channels.data ?? []).filter((channel) => channel.status !== 'disconnected');
  const add = useMutation({
    mutationFn: () => call(herald.POST('/v1/feeds', { body: { url: url.trim(), channelIds: selected, mode, template, intervalMinutes: interval, skipExisting } })),
    onSuccess: async (feed) => {
      setUrl('');
      await queryClient.invalidateQueries({ queryKey: ['feeds'] });
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      onAdded(feed);
    },
    onError: () => setTimeout(() => alert.current?.focus(), 0),
  });
  const problem = add.error ? problemOf(add.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="card stack feed-form" onSubmit={submit} noValidate aria-labelledby="add-feed-title">
      <h2 id="add-feed-title">Follow a feed</h2>
      <ProblemAlert ref={alert} problem={problem} shownAt={['url', 'channelIds', 'template', 'mode', 'intervalMinutes']} />
      <TextField
        label="Feed address"
        type="url"
        inputMode="url"
        placeholder="https://blog.example.com/feed.xml"
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        hint="An RSS, Atom or JSON Feed address."
        errors={fieldMessages(problem, 'url')}
        required
      />
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
          hint="{{title}}, {{link}} and {{summary}} are replaced by the item's; the title is cut to fit each channel."
          errors={fieldMessages(problem, 'template')}
        />
        <SelectField label="Read it" value={String(interval)} onChange={(event) => setIntervalMinutes(Number(event.target.value))} errors={fieldMessages(problem, 'intervalMinutes')}>
          {INTERVALS.map((option) => (
            <option key={option.minutes} value={option.minutes}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={skipExisting} onChange={(event) => setSkipExisting(event.target.checked)} />
        <span>
          <span className="radio-label">Skip what is in the feed now</span>
          <span className="muted"> Only items published after today make posts.</span>
        </span>
      </label>
      <div className="row">
        <button type="submit" className="button primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Follow feed'}
        </button>
      </div>
    </form>
  );
}
