/** The workspace's API keys: make one (shown once, to copy), for the whole workspace or some channels; see when each was last used; revoke one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { Schemas } from '@herald/api-client';
import { SelectField, TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ScrollTable } from '../../ui/scroll-table';
import { ProblemAlert } from '../../ui/problem-alert';
import { Time } from '../../ui/time';
import { useRoleChoice } from '../members/role-choice';
import { CopyButton } from './copy-button';
import { ConfirmButton } from '../../ui/confirm-button';
import { channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import { ChannelPicker } from '../compose/channel-picker';

type KeyRole = NonNullable<Schemas['CreateApiKeyDto']['role']>;

const KEY_ROLES: { role: KeyRole; words: string }[] = [
  { role: 'editor', words: 'Editor: schedules and publishes posts' },
  { role: 'contributor', words: 'Contributor: its posts wait for approval' },
  { role: 'viewer', words: 'Viewer: reads only' },
  { role: 'admin', words: 'Admin: also channels, members, keys and webhooks' },
];

const keysQuery = { queryKey: ['api-keys'], queryFn: async () => (await call(herald.GET('/v1/api-keys'))).data };

export function ApiKeysPage() {
  const queryClient = useQueryClient();
  const keys = useQuery(keysQuery);
  const [name, setName] = useState('');
  // A key never has more than its maker's role (the API refuses it): only those are offered.
  const { offered, role, choose: setRole } = useRoleChoice(KEY_ROLES, 'editor');
  const channels = useQuery(channelsQuery);
  const [limited, setLimited] = useState(false);
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const scopeId = useId();
  const create = useMutation({
    mutationFn: () => call(herald.POST('/v1/api-keys', { body: { name, role, ...(limited ? { channelIds } : {}) } })),
    onSuccess: async () => {
      setName('');
      setLimited(false);
      setChannelIds([]);
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call(herald.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const problem = create.error ? problemOf(create.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const live = (keys.data ?? []).filter((key) => !key.revokedAt);
  return (
    <Page title="API keys">
      <p>A key lets a program use Herald's API for this workspace: send it as <code>Authorization: Bearer …</code>. The API is described at <a href="/docs">/docs</a>.</p>
      <form onSubmit={submit} className="card stack">
        <h2>New key</h2>
        <TextField label="Name" hint="What uses it, e.g. “CMS” or “release script”." required value={name} onChange={(event) => setName(event.target.value)} errors={fieldMessages(problem, 'name')} />
        <SelectField label="What it may do" value={role} onChange={(event) => setRole(event.target.value as KeyRole)} errors={fieldMessages(problem, 'role')} hint="Never more than your own role.">
          {offered.map((entry) => (
            <option key={entry.role} value={entry.role}>
              {entry.words}
            </option>
          ))}
        </SelectField>
        <fieldset className="plain-fieldset">
          <legend>Where it may act</legend>
          <div className="repeat-ends">
            <label className="radio">
              <input type="radio" name={`${scopeId}-scope`} checked={!limited} onChange={() => setLimited(false)} />
              <span className="radio-label">The whole workspace</span>
            </label>
            <label className="radio">
              <input type="radio" name={`${scopeId}-scope`} checked={limited} onChange={() => setLimited(true)} />
              <span className="radio-label">Only some channels (a client's, an agent's)</span>
            </label>
          </div>
          {limited ? (
            <>
              <p className="muted">It sees and posts to these channels only, and none of the workspace's settings, members, keys or webhooks.</p>
              <ChannelPicker channels={channels.data ?? []} disconnected={[]} selected={channelIds} onChange={setChannelIds} errors={fieldMessages(problem, 'channelIds')} />
            </>
          ) : null}
        </fieldset>
        <ProblemAlert problem={problem} shownAt={['name', 'role', 'channelIds']} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Make a key
        </button>
        {create.data ? (
          <div className="alert alert-ok" role="status">
            <p>
              The key “{create.data.name}”. Copy it now: Herald shows it only once.
            </p>
            <p className="row wrap">
              <code className="secret">{create.data.key}</code> <CopyButton text={create.data.key} label="Copy the key" />
            </p>
          </div>
        ) : null}
      </form>
      {keys.isError ? <ProblemAlert problem={problemOf(keys.error)} /> : null}
      {revoke.isError ? <ProblemAlert problem={problemOf(revoke.error)} /> : null}
      <ScrollTable label={'API keys'}>
        <table className="stacked">
          <caption>Keys in use</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Role</th>
              <th scope="col">Channels</th>
              <th scope="col">Made</th>
              <th scope="col">Made by</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {live.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">
                  No keys yet.
                </td>
              </tr>
            ) : null}
            {live.map((key) => (
              <tr key={key.id}>
                <td data-label="Name">{key.name}</td>
                <td data-label="Starts with">
                  <code>{key.prefix}…</code>
                </td>
                <td data-label="Role">{key.role}</td>
                <td data-label="Channels">
                  <KeyChannels ids={key.channelIds} />
                </td>
                <td data-label="Made">
                  <Time iso={key.createdAt} />
                </td>
                <td data-label="Made by">{keyMaker(key.createdBy)}</td>
                <td data-label="Last used">{key.lastUsedAt ? <Time iso={key.lastUsedAt} /> : 'never'}</td>
                <td data-label="Actions">
                  <ConfirmButton small label="Revoke" hiddenSuffix={key.name} title={`Revoke the key “${key.name}”?`} description="What uses it stops working at once." onConfirm={() => revoke.mutate(key.id)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </Page>
  );
}

/** Where a key may act: the whole workspace, or its channels (a removed one counted, not shown). */
function KeyChannels({ ids }: { ids: string[] | null }) {
  const channels = useQuery(channelsQuery);
  if (!ids) return <>All channels</>;
  const known = (channels.data ?? []).filter((channel) => ids.includes(channel.id));
  const gone = ids.length - known.length;
  return (
    <span className="row wrap">
      {known.map((channel) => (
        <ChannelBadge key={channel.id} channel={channel} compact />
      ))}
      {gone > 0 && channels.isSuccess ? <span className="muted">{gone === 1 ? '1 removed channel' : `${gone} removed channels`}</span> : null}
    </span>
  );
}

/** Who made a key, in words: a person, another key, the operator, or nobody recorded (a key older than makers). */
function keyMaker(maker: { kind: string; id: string | null; name?: string } | null): string {
  if (!maker) return 'not recorded';
  if (maker.kind === 'operator') return 'the operator';
  if (maker.kind === 'api_key') return maker.name ? `the key “${maker.name}”` : 'a key';
  return maker.name ?? 'someone no longer here';
}
