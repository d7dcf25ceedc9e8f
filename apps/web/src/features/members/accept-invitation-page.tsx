/**
 * Where an invitation link lands (`/accept-invitation#token=…`; the token is
 * in the fragment, never sent to a server but by this page): what it invites
 * to, then join, as the person signed in or with a new account.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { Time } from '../../ui/time';
import { adopt, chooseWorkspace, sessionQuery } from '../auth/session';

function tokenOfLink(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function AcceptInvitationPage() {
  const [token] = useState(tokenOfLink);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useQuery({ ...sessionQuery, retry: false });
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => call(herald.GET('/v1/invitations/preview/{token}', { params: { path: { token } } })),
    enabled: token !== '',
    retry: false,
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signedIn = session.isSuccess;
  const accept = useMutation({
    meta: { signIn: true },
    mutationFn: () => call(herald.POST('/v1/invitations/accept', { body: signedIn ? { token } : { token, name: name || undefined, password } })),
    onSuccess: async (answer) => {
      chooseWorkspace(answer.workspaceId);
      queryClient.clear();
      queryClient.setQueryData(sessionQuery.queryKey, adopt(answer));
      await navigate({ to: '/' });
    },
  });
  const problem = accept.error ? problemOf(accept.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  if (!token) {
    return (
      <div className="auth-page">
        <Page title="Invitation">
          <p className="alert alert-error">This link has no invitation in it. Open the whole link you were sent.</p>
        </Page>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <Page title={preview.data ? `Join ${preview.data.workspaceName}` : 'Invitation'}>
        {preview.isError ? <ProblemAlert problem={problemOf(preview.error)} /> : null}
        {preview.data ? (
          <>
            <p>
              {preview.data.email} is invited as <strong>{preview.data.role}</strong>. The link works until <Time iso={preview.data.expiresAt} />.
            </p>
            <form onSubmit={submit} className="stack" noValidate>
              <ProblemAlert problem={problem} shownAt={['name', 'password']} />
              {signedIn ? (
                <p>You are signed in as {session.data.user.email}; the workspace is added to your account.</p>
              ) : (
                <>
                  <TextField label="Your name" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} errors={fieldMessages(problem, 'name')} />
                  <TextField
                    label="Choose a password"
                    type="password"
                    autoComplete="new-password"
                    hint="At least 10 characters, and not a common password: a few unrelated words make a good one."
                    required
                    value={password}
                    onChange={(event) => setPassword(event.target.value)}
                    errors={fieldMessages(problem, 'password')}
                  />
                  <p className="muted">
                    Already have an account with this email? <Link to="/sign-in" search={{ redirect: `/accept-invitation${window.location.hash}` }}>Sign in</Link> first.
                  </p>
                </>
              )}
              <button type="submit" className="button primary" disabled={accept.isPending}>
                Join {preview.data.workspaceName}
              </button>
            </form>
          </>
        ) : null}
      </Page>
    </div>
  );
}
