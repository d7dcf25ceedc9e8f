/**
 * Connecting an account, each network by its own flow: Bluesky with a handle
 * and an app password, Mastodon with its instance then its OAuth consent,
 * the others by their OAuth consent. A network whose app this installation
 * has not configured says which settings it needs.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { ChannelView, NetworkView } from '../../api/views';
import { TextField } from '../../ui/field';
import { usePerson } from '../../ui/person';
import { NetworkIcon } from '../../ui/network-icon';
import { ProblemAlert } from '../../ui/problem-alert';
import { NETWORK_NAMES, channelName, networksQuery, startOAuth } from './api';

type Network = ChannelView['network'];

export function ConnectChannel({ reconnect }: { reconnect?: ChannelView }) {
  const networks = useQuery(networksQuery);
  const [chosen, setChosen] = useState<Network | null>(reconnect?.network ?? null);
  const chosenNetwork = networks.data?.find((entry) => entry.network === chosen);
  return (
    <section aria-labelledby="connect-heading" className="card">
      <h2 id="connect-heading">{reconnect ? `Reconnect ${channelName(reconnect)}` : 'Connect a channel'}</h2>
      {reconnect ? null : (
        <div className="network-picker" role="group" aria-label="Network">
          {(networks.data ?? []).map((network) => (
            <button
              key={network.network}
              type="button"
              className={`button network-choice ${chosen === network.network ? 'selected' : ''}`}
              aria-pressed={chosen === network.network}
              onClick={() => setChosen(network.network)}
            >
              <NetworkIcon network={network.network} size={18} />
              {network.displayName}
            </button>
          ))}
        </div>
      )}
      {networks.isError ? <ProblemAlert problem={problemOf(networks.error)} /> : null}
      {chosenNetwork ? <ConnectForm key={chosenNetwork.network} network={chosenNetwork} reconnect={reconnect} /> : null}
    </section>
  );
}

function ConnectForm({ network, reconnect }: { network: NetworkView; reconnect?: ChannelView }) {
  if (!network.connect.connectable) {
    return (
      <p className="notice">
        {network.displayName} is not set up on this Herald: its operator must register an app with {network.displayName} and set{' '}
        {network.connect.missingSettings.map((setting) => <code key={setting}>{setting}</code>).reduce<ReactNode[]>((all, item, index) => (index ? [...all, ', ', item] : [item]), [])}.
      </p>
    );
  }
  if (network.network === 'bluesky') return <BlueskyForm reconnect={reconnect} />;
  return <OAuthForm network={network} reconnect={reconnect} />;
}

function OAuthForm({ network, reconnect }: { network: NetworkView; reconnect?: ChannelView }) {
  const [instanceUrl, setInstanceUrl] = useState(reconnect?.host ?? '');
  const start = useMutation({
    mutationFn: () => startOAuth(network.network as Exclude<Network, 'bluesky'>, network.network === 'mastodon' ? instanceUrl.trim() : undefined),
  });
  const problem = start.error ? problemOf(start.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <form onSubmit={submit} className="stack">
      {network.network === 'mastodon' ? (
        <TextField
          label="Mastodon instance"
          type="url"
          inputMode="url"
          placeholder="https://mastodon.social"
          hint="The address of the server your account is on."
          required
          value={instanceUrl}
          onChange={(event) => setInstanceUrl(event.target.value)}
          errors={fieldMessages(problem, 'instanceUrl')}
        />
      ) : null}
      <ProblemAlert problem={problem} shownAt={['instanceUrl']} />
      <p className="field-hint">
        {NETWORK_NAMES[network.network]} asks you to sign in and allow Herald to post for you, then sends you back here.
      </p>
      <button type="submit" className="button primary" disabled={start.isPending}>
        {start.isPending ? 'Opening…' : `Continue to ${network.displayName}`}
      </button>
    </form>
  );
}

function BlueskyForm({ reconnect }: { reconnect?: ChannelView }) {
  const queryClient = useQueryClient();
  const { timeZone } = usePerson();
  const [handle, setHandle] = useState(reconnect?.handle ?? '');
  const [appPassword, setAppPassword] = useState('');
  const [service, setService] = useState('');
  const connect = useMutation({
    mutationFn: () =>
      call(
        herald.POST('/v1/channels', {
          body: { network: 'bluesky', handle: handle.trim().replace(/^@/, ''), appPassword: appPassword.trim(), ...(service.trim() ? { service: service.trim() } : {}), ...(reconnect ? {} : { timezone: timeZone }) },
        }),
      ),
    onSuccess: async () => {
      setAppPassword('');
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const problem = connect.error ? problemOf(connect.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  return (
    <form onSubmit={submit} className="stack">
      <TextField
        label="Bluesky handle"
        placeholder="you.bsky.social"
        autoComplete="username"
        required
        value={handle}
        onChange={(event) => setHandle(event.target.value)}
        errors={fieldMessages(problem, 'handle')}
      />
      <TextField
        label="App password"
        type="password"
        autoComplete="off"
        placeholder="xxxx-xxxx-xxxx-xxxx"
        hint="Make one in Bluesky: Settings → Privacy and security → App passwords. Herald uses it once to sign in and never keeps it."
        required
        value={appPassword}
        onChange={(event) => setAppPassword(event.target.value)}
        errors={fieldMessages(problem, 'appPassword')}
      />
      <details>
        <summary>Your own server (optional)</summary>
        <TextField
          label="PDS address"
          type="url"
          placeholder="https://pds.example.com"
          hint="Only if your account is on a server of its own; Herald otherwise finds it from your handle."
          value={service}
          onChange={(event) => setService(event.target.value)}
          errors={fieldMessages(problem, 'service')}
        />
      </details>
      <ProblemAlert problem={problem} shownAt={['handle', 'appPassword', 'service']} />
      {connect.isSuccess ? (
        <p className="alert alert-ok" role="status">
          {channelName(connect.data)} is connected.
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={connect.isPending}>
        {connect.isPending ? 'Connecting…' : reconnect ? 'Reconnect Bluesky' : 'Connect Bluesky'}
      </button>
    </form>
  );
}
