/**
 * Compose's channels, picked from their avatars: a toggle per channel (a real
 * checkbox under a tile showing avatar, name, handle and network), a search
 * when there are many, and the workspace's saved groups ("Client A"): one
 * click picks a group's channels, and those who manage channels can save the
 * picked set as a new group.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { call } from '../../api/call';
import { herald } from '../../api/client';
import { problemOf } from '../../api/problem';
import type { ChannelGroup, ChannelView } from '../../api/views';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import { channelName } from '../channels/api';
import { ChannelBadge, channelTitle } from '../channels/channel-badge';
import { FieldErrors } from '../../ui/field';

export const channelGroupsQuery = {
  queryKey: ['channel-groups'],
  queryFn: async (): Promise<ChannelGroup[]> => (await call(herald.GET('/v1/channel-groups'))).data,
  staleTime: 60_000,
  retry: false,
};

/** Whether the channel matches what was typed: its name, handle or network. */
export function matchesSearch(channel: ChannelView, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [channelTitle(channel), channelName(channel), channel.handle].some((text) => text.toLowerCase().includes(needle));
}

/** "X @acme (Acme Inc)": the network and handle first, then the display name where it differs. */
export function pickerLabel(channel: ChannelView): string {
  const name = channelName(channel);
  const title = channelTitle(channel);
  return name.includes(title) ? name : `${name} (${title})`;
}

interface Props {
  channels: ChannelView[];
  disconnected: ChannelView[];
  selected: string[];
  onChange: (selected: string[]) => void;
  errors: string[];
}

export function ChannelPicker({ channels, disconnected, selected, onChange, errors }: Props) {
  const [search, setSearch] = useState('');
  const searchId = useId();
  const groups = useQuery(channelGroupsQuery);
  const canSaveGroups = useCan('channels.manage');
  const shown = channels.filter((channel) => matchesSearch(channel, search) || selected.includes(channel.id));
  const toggle = (id: string) => onChange(selected.includes(id) ? selected.filter((entry) => entry !== id) : [...selected, id]);
  const pickGroup = (group: ChannelGroup) => {
    const usable = group.channelIds.filter((id) => channels.some((channel) => channel.id === id));
    const all = usable.every((id) => selected.includes(id));
    onChange(all ? selected.filter((id) => !usable.includes(id)) : [...new Set([...selected, ...usable])]);
  };
  return (
    <fieldset className="channel-picker">
      <legend>Channels</legend>
      {channels.length > 4 || (groups.data && groups.data.length > 0) ? (
        <div className="channel-picker-tools">
          <label className="visually-hidden" htmlFor={searchId}>
            Find a channel
          </label>
          <input id={searchId} type="search" placeholder="Find a channel" value={search} onChange={(event) => setSearch(event.target.value)} />
          {channels.length > 1 ? (
            <button type="button" className="button small" onClick={() => onChange(selected.length === channels.length ? [] : channels.map((channel) => channel.id))}>
              {selected.length === channels.length ? 'Pick none' : 'Pick all'}
            </button>
          ) : null}
        </div>
      ) : null}
      {groups.data && groups.data.length > 0 ? (
        <div className="group-chips" role="group" aria-label="Saved groups">
          {groups.data.map((group) => {
            const all = group.channelIds.length > 0 && group.channelIds.every((id) => selected.includes(id));
            return (
              <button key={group.id} type="button" className={`button small ${all ? 'selected' : ''}`} aria-pressed={all} onClick={() => pickGroup(group)}>
                {group.name} <span className="muted">({group.channelIds.length})</span>
              </button>
            );
          })}
        </div>
      ) : null}
      <ul className="channel-toggles">
        {shown.map((channel) => (
          <li key={channel.id}>
            <label className="channel-toggle" data-channel-id={channel.id}>
              <input type="checkbox" checked={selected.includes(channel.id)} onChange={() => toggle(channel.id)} aria-label={pickerLabel(channel)} />
              <ChannelBadge channel={channel} />
              <span className="check" aria-hidden="true">
                {selected.includes(channel.id) ? '✓' : ''}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {shown.length === 0 && search ? <p className="muted">No channel matches “{search}”.</p> : null}
      {disconnected.map((channel) => (
        <p key={channel.id} className="muted">
          {channelName(channel)} is disconnected: <Link to="/channels">reconnect it</Link> to post there.
        </p>
      ))}
      {canSaveGroups && groups.isSuccess && selected.length > 1 ? <SaveGroup channelIds={selected} /> : null}
      <FieldErrors messages={errors} />
    </fieldset>
  );
}

function SaveGroup({ channelIds }: { channelIds: string[] }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const nameId = useId();
  const save = useMutation({
    mutationFn: () => call(herald.POST('/v1/channel-groups', { body: { name: name.trim(), channelIds } })),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: ['channel-groups'] });
    },
  });
  return (
    <div className="row wrap" style={{ marginTop: 'var(--space-3)' }}>
      <div className="field">
        <label htmlFor={nameId}>Save these {channelIds.length} as a group</label>
        <input id={nameId} value={name} placeholder="Client A" onChange={(event) => setName(event.target.value)} />
      </div>
      <button type="button" className="button" disabled={!name.trim() || save.isPending} onClick={() => save.mutate()}>
        Save group
      </button>
      {save.isError ? <ProblemAlert problem={problemOf(save.error)} /> : null}
    </div>
  );
}
