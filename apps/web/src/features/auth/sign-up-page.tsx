/** The first person on an installation signs up and owns its workspace; later ones join by invitation (the API says so). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { browserTimeZone } from '../../ui/person';
import { TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { adopt, sessionQuery } from './session';

const FIELDS = ['name', 'email', 'password', 'workspaceName'];

export function SignUpPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', password: '', workspaceName: '' });
  const signUp = useMutation({
    mutationFn: () => {
      // The browser's zone becomes the workspace's, and so new channels' (changeable later in Settings).
      const body = {
        email: form.email,
        password: form.password,
        timezone: browserTimeZone(),
        ...(form.name ? { name: form.name } : {}),
        ...(form.workspaceName ? { workspaceName: form.workspaceName } : {}),
      };
      return call(herald.POST('/v1/auth/sign-up', { body }));
    },
    onSuccess: async (session) => {
      queryClient.clear();
      queryClient.setQueryData(sessionQuery.queryKey, adopt(session));
      await navigate({ to: '/channels' });
    },
  });
  const problem = signUp.error ? problemOf(signUp.error) : undefined;
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate();
  };
  return (
    <div className="auth-page">
      <Page title="Create your Herald account">
        <form onSubmit={submit} className="stack" noValidate>
          <ProblemAlert problem={problem} shownAt={FIELDS} />
          <TextField label="Your name" autoComplete="name" value={form.name} onChange={set('name')} errors={fieldMessages(problem, 'name')} />
          <TextField label="Email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} errors={fieldMessages(problem, 'email')} />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters, and not a common password: a few unrelated words make a good one."
            value={form.password}
            onChange={set('password')}
            errors={fieldMessages(problem, 'password')}
          />
          <TextField
            label="Workspace name"
            hint="Your team or brand; you can have people join it later."
            value={form.workspaceName}
            onChange={set('workspaceName')}
            errors={fieldMessages(problem, 'workspaceName')}
          />
          <button type="submit" className="button primary" disabled={signUp.isPending}>
            {signUp.isPending ? 'Creating…' : 'Create account'}
          </button>
        </form>
        <p>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </Page>
    </div>
  );
}
