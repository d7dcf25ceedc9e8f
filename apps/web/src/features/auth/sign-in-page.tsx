/** Sign in with email and password; the API's refusal (wrong password, throttled) is said as it says it. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { isServerPage, safeRedirect } from './redirects';
import { adopt, sessionQuery } from './session';

export function SignInPage() {
  const search = useSearch({ strict: false }) as { redirect?: string };
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    meta: { signIn: true },
    mutationFn: () => call(herald.POST('/v1/auth/sign-in', { body: { email, password } })),
    onSuccess: async (session) => {
      queryClient.clear();
      queryClient.setQueryData(sessionQuery.queryKey, adopt(session));
      const next = safeRedirect(search.redirect);
      // An MCP client's consent page is the API's own: loaded, so the OAuth flow that sent the person here goes on.
      if (isServerPage(next)) window.location.assign(next);
      else await navigate({ href: next });
    },
  });
  const problem = signIn.error ? problemOf(signIn.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <div className="auth-page">
      <Page title="Sign in to Herald">
        <form onSubmit={submit} className="stack" noValidate>
          <ProblemAlert problem={problem} shownAt={['email', 'password']} />
          <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} errors={fieldMessages(problem, 'email')} />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            errors={fieldMessages(problem, 'password')}
          />
          <button type="submit" className="button primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p>
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <p>
          New to this Herald? <Link to="/sign-up">Create the first account</Link> (after the first, people join by invitation).
        </p>
      </Page>
    </div>
  );
}
