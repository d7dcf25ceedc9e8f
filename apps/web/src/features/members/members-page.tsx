/**
 * The workspace's people: each member with their role (changed or removed by
 * an owner or admin; anyone may leave), and invitations: invite by email with
 * a role (the link is shown once, to send), the pending ones, revoke one.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { SelectField, TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { ScrollTable } from '../../ui/scroll-table';
import { Time } from '../../ui/time';
import { sessionQuery, useCan, useOwnRole, useSession } from '../auth/session';
import { CopyButton } from '../settings/copy-button';
import { useRoleChoice } from './role-choice';
import { ROLE_WORDS, outranks, rolesUpTo, type Role } from './roles';
import { ConfirmButton } from '../../ui/confirm-button';

const membersQuery = { queryKey: ['members'], queryFn: async () => (await call(herald.GET('/v1/members'))).data };
const removeMember = (userId: string) => call(herald.DELETE('/v1/members/{userId}', { params: { path: { userId } } }));
const invitationsQuery = { queryKey: ['invitations'], queryFn: async () => (await call(herald.GET('/v1/invitations'))).data };

export function MembersPage() {
  const canManage = useCan('members.manage');
  return (
    <Page title="Members">
      {canManage ? <InviteForm /> : null}
      <MemberList canManage={canManage} />
      {canManage ? <PendingInvitations /> : null}
    </Page>
  );
}

function InviteForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  // Only roles no higher than the person's own (the API refuses the rest).
  const { offered, role, choose: setRole } = useRoleChoice(ROLE_WORDS, 'editor');
  const invite = useMutation({
    mutationFn: () => call(herald.POST('/v1/invitations', { body: { email, role } })),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: ['invitations'] });
    },
  });
  const problem = invite.error ? problemOf(invite.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <form onSubmit={submit} className="card stack">
      <h2>Invite someone</h2>
      <div className="row wrap">
        <TextField label="Email" type="email" autoComplete="off" required value={email} onChange={(event) => setEmail(event.target.value)} errors={fieldMessages(problem, 'email')} />
        <SelectField label="Role" value={role} onChange={(event) => setRole(event.target.value as Role)} errors={fieldMessages(problem, 'role')}>
          {offered.map((entry) => (
            <option key={entry.role} value={entry.role}>
              {entry.words}
            </option>
          ))}
        </SelectField>
      </div>
      <ProblemAlert problem={problem} shownAt={['email', 'role']} />
      <button type="submit" className="button primary" disabled={invite.isPending}>
        Make an invitation link
      </button>
      {invite.data ? (
        <div className="alert alert-ok" role="status">
          <p>
            {invite.data.emailed ? `Herald emailed this link to ${invite.data.email}; you may also send it yourself.` : `Send this link to ${invite.data.email}.`} It works once,
            until <Time iso={invite.data.expiresAt} />, and Herald shows it only now.
          </p>
          <p className="row wrap">
            <code className="secret invitation-link">{invite.data.url}</code> <CopyButton text={invite.data.url} label="Copy the link" />
          </p>
        </div>
      ) : null}
    </form>
  );
}

function MemberList({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient();
  const session = useSession();
  const own = useOwnRole();
  const offered = rolesUpTo(own, ROLE_WORDS);
  const members = useQuery(membersQuery);
  const change = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => call(herald.PATCH('/v1/members/{userId}', { params: { path: { userId } }, body: { role } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['members'] }),
  });
  const remove = useMutation({
    mutationFn: removeMember,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['members'] }),
  });
  const navigate = useNavigate();
  // Leaving is removing oneself: the session then names the workspaces left (maybe none), and nothing of this one is kept.
  const leave = useMutation({
    mutationFn: removeMember,
    onSuccess: async () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      await queryClient.fetchQuery({ ...sessionQuery, staleTime: 0 });
      await navigate({ to: '/' });
    },
  });
  const error = members.error ?? change.error ?? remove.error ?? leave.error;
  return (
    <section className="card stack" aria-labelledby="members-heading">
      <h2 id="members-heading">People in this workspace</h2>
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      <ScrollTable label="Members">
        <table className="stacked">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(members.data ?? []).map((member) => {
              const who = member.name || member.email;
              const self = member.userId === session?.user.id;
              return (
                <tr key={member.userId}>
                  <td data-label="Name">
                    {who}
                    {self ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td data-label="Email">{member.email}</td>
                  <td data-label="Role">
                    {/* A member above the person's own role is theirs to read, not to change. */}
                    {canManage && own && !outranks(member.role, own) ? (
                      <select aria-label={`Role of ${who}`} value={member.role} disabled={change.isPending} onChange={(event) => change.mutate({ userId: member.userId, role: event.target.value as Role })}>
                        {offered.map((entry) => (
                          <option key={entry.role} value={entry.role}>
                            {entry.role}
                          </option>
                        ))}
                      </select>
                    ) : (
                      member.role
                    )}
                  </td>
                  <td data-label="Joined">
                    <Time iso={member.joinedAt} />
                  </td>
                  <td data-label="Actions">
                    {self ? (
                      <ConfirmButton small label="Leave the workspace" title="Leave this workspace?" description="Leave this workspace? You can no longer see or do anything here, unless someone invites you again." confirmLabel="Leave" disabled={leave.isPending} onConfirm={() => leave.mutate(member.userId)} />
                    ) : canManage ? (
                      <ConfirmButton small label="Remove" hiddenSuffix={who} title={`Remove ${who} from this workspace?`} description="They can no longer see or do anything here." onConfirm={() => remove.mutate(member.userId)} />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}

function PendingInvitations() {
  const queryClient = useQueryClient();
  const invitations = useQuery(invitationsQuery);
  const revoke = useMutation({
    mutationFn: (id: string) => call(herald.DELETE('/v1/invitations/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
  const error = invitations.error ?? revoke.error;
  return (
    <section className="card stack" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invitations not yet accepted</h2>
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      {invitations.data && invitations.data.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="stack plain">
        {(invitations.data ?? []).map((invitation) => (
          <li key={invitation.id} className="row spread">
            <span>
              {invitation.email} as {invitation.role} <span className="muted">· until <Time iso={invitation.expiresAt} /></span>
            </span>
            <button type="button" className="button small danger" onClick={() => revoke.mutate(invitation.id)}>
              Revoke<span className="visually-hidden"> the invitation of {invitation.email}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
