/** The workspace's API keys: make one (shown once, to copy), see when each was last used, revoke one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
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
  const create = useMutation({
    mutationFn: () => call(herald.POST('/v1/api-keys', { body: { name, role } })),
    onSuccess: async () => {
      setName('');
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
        <ProblemAlert problem={problem} shownAt={['name', 'role']} />
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
                <td colSpan={7} className="muted">
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

/** Who made a key, in words: a person, another key, the operator, or nobody recorded (a key older than makers). */
function keyMaker(maker: { kind: string; id: string | null; name?: string } | null): string {
  if (!maker) return 'not recorded';
  if (maker.kind === 'operator') return 'the operator';
  if (maker.kind === 'api_key') return maker.name ? `the key “${maker.name}”` : 'a key';
  return maker.name ?? 'someone no longer here';
}
