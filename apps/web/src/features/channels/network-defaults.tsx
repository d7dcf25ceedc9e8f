/**
 * What every post to a channel tells its network unless the post says
 * otherwise (PATCH /v1/channels/:id {networkOptions}): the Pinterest board
 * new pins go to, a YouTube channel's privacy, a TikTok account's privacy
 * among the levels its creator allows (with what TikTok does with an
 * unaudited app's posts). The API's refusal is shown at the field. Nothing
 * is shown for a network without such defaults.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { SelectField } from '../../ui/field';
import { ProblemAlert } from '../../ui/problem-alert';
import { NETWORK_NAMES } from './api';
import {
  TIKTOK_PRIVACY_WORDS,
  YOUTUBE_PRIVACIES,
  YOUTUBE_PRIVACY_WORDS,
  boardsOf,
  channelDefault,
  defaultBoardOf,
  networkNote,
  tiktokChoices,
  type TikTokPrivacy,
  type YouTubePrivacy,
} from './network-choices';

const WITH_DEFAULTS = ['pinterest', 'youtube', 'tiktok'];

export function NetworkDefaults({ channel }: { channel: ChannelView }) {
  if (!WITH_DEFAULTS.includes(channel.network)) return null;
  return <DefaultsForm key={channel.id} channel={channel} />;
}

/** What the form sends: the field it holds (empty: the network's own default), the channel's other defaults kept. */
function bodyOf(channel: ChannelView, key: string, value: string): Record<string, unknown> {
  const next: Record<string, unknown> = { ...channel.networkOptions };
  if (value) next[key] = value;
  else delete next[key];
  return next;
}

function DefaultsForm({ channel }: { channel: ChannelView }) {
  const queryClient = useQueryClient();
  const key = channel.network === 'pinterest' ? 'boardId' : 'privacy';
  const [value, setValue] = useState(channel.network === 'pinterest' ? (defaultBoardOf(channel)?.id ?? '') : (channelDefault<string>(channel, 'privacy') ?? ''));
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { networkOptions: bodyOf(channel, key, value) } })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const errors = fieldMessages(problem, `networkOptions.${key}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const network = NETWORK_NAMES[channel.network];
  const note = networkNote(channel.network);
  return (
    <form className="card stack" aria-labelledby="network-defaults-heading" onSubmit={submit} noValidate>
      <h2 id="network-defaults-heading">{network} defaults</h2>
      <p className="muted">What every post to this channel tells {network} unless the post chooses otherwise in compose.</p>
      <ProblemAlert problem={problem} shownAt={['networkOptions']} />
      {channel.network === 'pinterest' ? <BoardField channel={channel} value={value} onChange={setValue} errors={errors} /> : null}
      {channel.network === 'youtube' ? (
        <SelectField label="Privacy of new videos" value={value} onChange={(event) => setValue(event.target.value)} errors={errors} hint="A post can choose another in compose.">
          <option value="">Public (YouTube’s default)</option>
          {YOUTUBE_PRIVACIES.filter((privacy) => privacy !== 'public').map((privacy: YouTubePrivacy) => (
            <option key={privacy} value={privacy}>
              {YOUTUBE_PRIVACY_WORDS[privacy]}
            </option>
          ))}
        </SelectField>
      ) : null}
      {channel.network === 'tiktok' ? <TikTokPrivacyField channel={channel} value={value} onChange={setValue} errors={errors} /> : null}
      {note ? <p className="notice">{note}</p> : null}
      <div className="row">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save
        </button>
        {save.isSuccess && !save.isPending ? (
          <span role="status" className="muted">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

interface FieldProps {
  channel: ChannelView;
  value: string;
  onChange: (value: string) => void;
  errors: string[];
}

function BoardField({ channel, value, onChange, errors }: FieldProps) {
  const boards = boardsOf(channel);
  if (boards.length === 0) return <p className="muted">Herald has read no boards of this account: connect it again to read them.</p>;
  return (
    <SelectField label="Board new pins go to" value={value} onChange={(event) => onChange(event.target.value)} errors={errors} hint="The boards this account had when it was connected. A post can pick another in compose.">
      {boards.map((board) => (
        <option key={board.id} value={board.id}>
          {board.name}
        </option>
      ))}
    </SelectField>
  );
}

function TikTokPrivacyField({ channel, value, onChange, errors }: FieldProps) {
  const { privacyLevels } = tiktokChoices([channel]);
  return (
    <SelectField
      label="Who can see new posts"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      errors={errors}
      hint={privacyLevels.length > 0 ? 'Only the levels this account allows (its TikTok settings). Left unset, each post asks.' : 'TikTok has said no privacy levels for this account yet: connect it again to read them.'}
    >
      <option value="">Ask on each post</option>
      {privacyLevels.map((level: TikTokPrivacy) => (
        <option key={level} value={level}>
          {TIKTOK_PRIVACY_WORDS[level]}
        </option>
      ))}
    </SelectField>
  );
}
