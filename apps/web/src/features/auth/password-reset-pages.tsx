/**
 * A forgotten password: ask for a link by email (the API answers alike
 * whether or not anyone has the email), then set a new one on the page the
 * link opens (`/reset-password#token=…`), which signs every session out.
 */
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const ask = useMutation({ mutationFn: () => call(herald.POST('/v1/auth/password-reset', { body: { email } })) });
  const problem = ask.error ? problemOf(ask.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    ask.mutate();
  };
  return (
    <div className="auth-page">
      <Page title="Reset your password">
        {ask.isSuccess ? (
          <p className="alert alert-ok" role="status">
            If an account has the email {email}, a link to set a new password is on its way. It works once, for a limited time.
          </p>
        ) : (
          <form onSubmit={submit} className="stack" noValidate>
            <ProblemAlert problem={problem} shownAt={['email']} />
            <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} errors={fieldMessages(problem, 'email')} />
            <button type="submit" className="button primary" disabled={ask.isPending}>
              Email me a link
            </button>
          </form>
        )}
        <p>
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </Page>
    </div>
  );
}

export function ResetPasswordPage() {
  const [token] = useState(() => new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '');
  const [password, setPassword] = useState('');
  const reset = useMutation({ meta: { signIn: true }, mutationFn: () => call(herald.POST('/v1/auth/password-reset/confirm', { body: { token, password } })) });
  const problem = reset.error ? problemOf(reset.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate();
  };
  return (
    <div className="auth-page">
      <Page title="Choose a new password">
        {!token ? <p className="alert alert-error">This link has no reset in it. Open the whole link you were sent.</p> : null}
        {reset.isSuccess ? (
          <p className="alert alert-ok" role="status">
            Your password is changed, and every session of yours is signed out. <Link to="/sign-in">Sign in</Link> with the new one.
          </p>
        ) : token ? (
          <form onSubmit={submit} className="stack" noValidate>
            <ProblemAlert problem={problem} shownAt={['password']} />
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              hint="At least 10 characters, and not a common password: a few unrelated words make a good one."
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              errors={fieldMessages(problem, 'password')}
            />
            <button type="submit" className="button primary" disabled={reset.isPending}>
              Set the new password
            </button>
          </form>
        ) : null}
      </Page>
    </div>
  );
}
