/** Webhook endpoints: add one (its signing secret shown once), pick its events, read each delivery it got, remove it. */
import type { Schemas } from '@herald/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { WebhookView } from '../../api/views';
import { TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ScrollTable } from '../../ui/scroll-table';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge } from '../../ui/status';
import { Time } from '../../ui/time';
import { CopyButton } from './copy-button';
import { ConfirmButton } from '../../ui/confirm-button';

type WebhookEvent = NonNullable<Schemas['CreateWebhookDto']['events']>[number];

const EVENTS = [
  { event: 'post.published', words: 'A post was published on a channel' },
  { event: 'post.failed', words: 'A post failed on a channel' },
  { event: 'post.pending_approval', words: 'A contributor’s post waits for approval' },
  { event: 'post.approved', words: 'A waiting post was approved' },
  { event: 'post.rejected', words: 'A waiting post was rejected, with a note' },
  { event: 'post.deleted', words: 'A post was taken down from a channel (unpublish)' },
  { event: 'delivery.failed', words: 'An attempt to publish failed' },
  { event: 'channel.disconnected', words: 'A channel lost its access' },
  { event: 'channel.expiring', words: 'A channel’s access ends soon' },
  { event: 'network.degraded', words: 'A network is failing; posts wait' },
  { event: 'network.recovered', words: 'A network answers again' },
  { event: 'post.metrics', words: 'A published post’s figures were read (one per reading: many)' },
] as const satisfies readonly { event: WebhookEvent; words: string }[];
// Every event the API offers has a checkbox: this fails to compile when the document adds one.
const EVERY_EVENT_LISTED: Exclude<WebhookEvent, (typeof EVENTS)[number]['event']> extends never ? true : false = true;
void EVERY_EVENT_LISTED;

const webhooksQuery = { queryKey: ['webhooks'], queryFn: async () => (await call(herald.GET('/v1/webhooks'))).data };

export function WebhooksPage() {
  const queryClient = useQueryClient();
  const webhooks = useQuery(webhooksQuery);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['post.published', 'post.failed', 'channel.disconnected']);
  const create = useMutation({
    mutationFn: () => call(herald.POST('/v1/webhooks', { body: { url, events } })),
    onSuccess: async () => {
      setUrl('');
      await queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const problem = create.error ? problemOf(create.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Page title="Webhooks">
      <p>
        Herald calls these addresses when something happens, signed as Standard Webhooks (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), and tries
        again while they do not answer.
      </p>
      <form onSubmit={submit} className="card stack">
        <h2>New webhook</h2>
        <TextField label="Address" type="url" placeholder="https://example.com/herald" required value={url} onChange={(event) => setUrl(event.target.value)} errors={fieldMessages(problem, 'url')} />
        <fieldset>
          <legend>Events</legend>
          {EVENTS.map((entry) => (
            <label key={entry.event} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(entry.event)}
                onChange={(event) => setEvents(event.target.checked ? [...events, entry.event] : events.filter((other) => other !== entry.event))}
              />
              <code>{entry.event}</code> <span className="muted">{entry.words}</span>
            </label>
          ))}
        </fieldset>
        <ProblemAlert problem={problem} shownAt={['url']} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Add webhook
        </button>
        {create.data ? (
          <div className="alert alert-ok" role="status">
            <p>Its signing secret. Copy it now: Herald shows it only once.</p>
            <p className="row wrap">
              <code className="secret">{create.data.secret}</code> <CopyButton text={create.data.secret} label="Copy the secret" />
            </p>
          </div>
        ) : null}
      </form>
      {webhooks.isError ? <ProblemAlert problem={problemOf(webhooks.error)} /> : null}
      {(webhooks.data ?? []).map((webhook) => (
        <Webhook key={webhook.id} webhook={webhook} />
      ))}
    </Page>
  );
}

function Webhook({ webhook }: { webhook: WebhookView }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const deliveries = useQuery({
    queryKey: ['webhooks', webhook.id, 'deliveries'],
    queryFn: async () => (await call(herald.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: webhook.id } } }))).data,
    enabled: open,
    refetchInterval: open ? 10_000 : false,
  });
  const remove = useMutation({
    mutationFn: () => call(herald.DELETE('/v1/webhooks/{id}', { params: { path: { id: webhook.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  return (
    <section className="card stack" aria-label={`Webhook ${webhook.url}`}>
      <div className="row spread">
        <h2 className="webhook-url">{webhook.url}</h2>
        <ConfirmButton small label="Remove" hiddenSuffix={webhook.url} title="Remove this webhook?" description={`Herald stops sending events to ${webhook.url}.`} onConfirm={() => remove.mutate()} />
      </div>
      <p className="muted">
        {webhook.events.join(', ')} · added <Time iso={webhook.createdAt} />
      </p>
      {remove.isError ? <ProblemAlert problem={problemOf(remove.error)} /> : null}
      <details onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
        <summary>Recent deliveries</summary>
        {deliveries.isError ? <ProblemAlert problem={problemOf(deliveries.error)} /> : null}
        {deliveries.data && deliveries.data.length === 0 ? <p className="muted">None yet.</p> : null}
        {deliveries.data && deliveries.data.length > 0 ? (
          <ScrollTable label={`Deliveries to ${webhook.url}`}>
            <table className="stacked">
              <caption className="visually-hidden">Deliveries to {webhook.url}</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Tries</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.map((delivery) => (
                  <tr key={delivery.id}>
                    <td data-label="Event">
                      <code>{delivery.type}</code>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={delivery.status} />
                    </td>
                    <td data-label="Tries">{delivery.attempts}</td>
                    <td data-label="Last answer">{delivery.lastStatus ? `HTTP ${delivery.lastStatus}` : (delivery.lastError ?? '—')}</td>
                    <td data-label="When">
                      {delivery.deliveredAt ? <Time iso={delivery.deliveredAt} /> : delivery.nextAttemptAt ? <>next try <Time iso={delivery.nextAttemptAt} /></> : <Time iso={delivery.createdAt} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        ) : null}
      </details>
    </section>
  );
}
