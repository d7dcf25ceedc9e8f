/**
 * Where a network's consent sends the browser back: the channel it made (or
 * connected again), an account to pick (a Facebook Page, an Instagram account),
 * or why it failed, in words.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useEffect } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { channelName, channelQuery } from './api';

const CONNECT_ERRORS: Record<string, string> = {
  access_denied: 'You did not allow Herald to post for this account, so nothing was connected.',
  state_expired: 'The connection took more than ten minutes, so it lapsed. Start again.',
  state_already_used: 'This connection was already used. Start again if the channel is not in your list.',
  invalid_grant: 'The network did not accept the sign-in Herald was given back. Start again.',
  no_code: 'The network sent you back without a sign-in. Start again.',
  not_your_connection: 'This connection was started in another browser or session, so Herald did not finish it here. Start it again from this browser.',
  access_ended: 'Whoever started this connection may no longer connect channels in this workspace, so nothing was connected.',
  redirect_not_allowed: 'This connection was to send you to an address the workspace no longer allows, so nothing was connected. Start again.',
  state_unbound: 'This connection was started before Herald tied connections to the browser that starts them. Start again.',
  no_account: 'The network found no account Herald can post to with this sign-in (for Facebook and Instagram: a Page, or a professional account linked to one).',
};

interface ConnectedSearch {
  channelId?: string;
  error?: string;
  error_description?: string;
  pending?: string;
  accounts?: string;
}

export function ConnectedPage() {
  const search = useSearch({ strict: false }) as ConnectedSearch;
  const queryClient = useQueryClient();
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: ['channels'] });
  }, [queryClient]);
  if (search.pending) return <ChooseAccount state={search.pending} />;
  if (search.channelId) return <Connected channelId={search.channelId} />;
  return (
    <Page title="The channel was not connected">
      <div className="alert alert-error" role="alert">
        <p>{CONNECT_ERRORS[search.error ?? ''] ?? `The network answered: ${search.error ?? 'no answer'}.`}</p>
        {search.error_description ? <p className="muted">{search.error_description}</p> : null}
      </div>
      <Link to="/channels" className="button">
        Back to channels
      </Link>
    </Page>
  );
}

function Connected({ channelId }: { channelId: string }) {
  const channel = useQuery(channelQuery(channelId));
  return (
    <Page title={channel.data ? `${channelName(channel.data)} is connected` : 'Channel connected'}>
      {channel.isError ? <ProblemAlert problem={problemOf(channel.error)} /> : null}
      <p>Herald can now post to it. Set its time zone and the times its queue posts at, or go back to your channels.</p>
      <div className="row">
        <Link to="/channels/$channelId" params={{ channelId }} className="button primary">
          Set its posting times
        </Link>
        <Link to="/channels" className="button">
          Back to channels
        </Link>
      </div>
    </Page>
  );
}

function ChooseAccount({ state }: { state: string }) {
  const queryClient = useQueryClient();
  const accounts = useQuery({
    queryKey: ['connect', state, 'accounts'],
    queryFn: async () => (await call(herald.GET('/v1/channels/connect/{state}/accounts', { params: { path: { state } } }))).data,
    retry: false,
  });
  const choose = useMutation({
    mutationFn: (accountId: string) => call(herald.POST('/v1/channels/connect/{state}/choose', { params: { path: { state } }, body: { accountId } })),
    // The channel is made only now: the list fetched when this page opened does not hold it.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
  if (choose.data) return <Connected channelId={choose.data.id} />;
  return (
    <Page title="Choose which one to connect">
      <p>This sign-in reaches more than one place Herald can post to (Facebook Pages, Instagram accounts, business locations). A channel is one of them: pick it here, and connect the others the same way.</p>
      {accounts.isError ? <ProblemAlert problem={problemOf(accounts.error)} /> : null}
      {choose.isError ? <ProblemAlert problem={problemOf(choose.error)} /> : null}
      {accounts.isPending ? <p role="status">Asking the network for them…</p> : null}
      <ul className="choice-list" aria-label="Places to connect">
        {(accounts.data ?? []).map((account) => (
          <li key={account.accountId} className="card choice">
            <span className="choice-name">{account.handle}</span>
            <button type="button" className="button primary" disabled={choose.isPending} onClick={() => choose.mutate(account.accountId)}>
              Connect<span className="visually-hidden"> {account.handle}</span>
            </button>
          </li>
        ))}
      </ul>
    </Page>
  );
}
