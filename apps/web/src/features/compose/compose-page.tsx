/**
 * Compose: one text for every channel picked (with a variant for any of them),
 * files with their alt text, a live count per channel by the API's own rules,
 * a preview per network, and when it goes out. A post the rules say a channel
 * would refuse is not sent; what the API refuses anyway is shown at the field
 * its problem names. (A post is one part today; threads and a first comment
 * will be further parts of the same form.)
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useRef, useState, type ClipboardEvent, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import { TextAreaField } from '../../ui/field';
import { Page } from '../../ui/page';
import { usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import { channelName, channelsQuery } from '../channels/api';
import { useAttachments } from './attachments';
import { checkPost, textFor } from './checks';
import { Counter } from './counter';
import { MediaPicker } from './media-picker';
import { Preview } from './preview';
import { RefusalSummary } from './refusal-summary';
import { MODES, SchedulePicker, scheduleBody, type ScheduleChoice } from './schedule-picker';
import { VariantFields } from './variant-fields';

/** Tomorrow at 09:00, as `YYYY-MM-DDTHH:mm`: where the date picker starts. */
function tomorrowMorning(): string {
  const date = new Date(Date.now() + 86_400_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T09:00`;
}

export function ComposePage() {
  const channels = useQuery(channelsQuery);
  const person = usePerson();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [variants, setVariants] = useState<Record<string, string>>({});
  const [schedule, setSchedule] = useState<ScheduleChoice>({ mode: 'queue', localTime: tomorrowMorning(), timezone: person.timeZone });
  const [refusedLocally, setRefusedLocally] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const { attachments, add, remove, move, setAlt } = useAttachments();
  const canPublish = useCan('posts.publish');

  const usable = (channels.data ?? []).filter((channel) => channel.status !== 'disconnected');
  const targets = usable.filter((channel) => selected.includes(channel.id));
  // Counted on every change: the same check the API makes when the post is sent.
  const { ready, checks, refusing, uploading } = checkPost(targets, text, variants, attachments);

  const create = useMutation({
    mutationFn: () =>
      call(
        herald.POST('/v1/posts', {
          body: {
            text,
            channelIds: targets.map((channel) => channel.id),
            media: ready.map((attachment) => ({ mediaId: attachment.media!.id, ...(attachment.alt ? { alt: attachment.alt } : {}) })),
            variants: Object.fromEntries(Object.entries(variants).filter(([channelId]) => selected.includes(channelId))),
            schedule: scheduleBody(schedule),
          },
        }),
      ),
    onSuccess: async (post) => {
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
      await navigate({ to: '/posts/$postId', params: { postId: post.id } });
    },
    onError: () => setTimeout(() => summary.current?.focus(), 0),
  });
  const problem = create.error ? problemOf(create.error) : undefined;

  const toggle = (channelId: string) => setSelected((current) => (current.includes(channelId) ? current.filter((id) => id !== channelId) : [...current, channelId]));
  const pasted = (event: ClipboardEvent) => {
    if (event.clipboardData.files.length > 0) {
      event.preventDefault();
      add(Array.from(event.clipboardData.files));
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (refusing.length > 0 || targets.length === 0) {
      setRefusedLocally(true);
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    setRefusedLocally(false);
    create.mutate();
  };
  // Without posts.publish (a contributor), what is scheduled waits for an editor's approval.
  const needsApproval = !canPublish && schedule.mode !== 'draft';
  const action = needsApproval ? 'Submit for approval' : MODES.find((option) => option.mode === schedule.mode)!.action;

  return (
    <Page title="Compose">
      {channels.isSuccess && usable.length === 0 ? (
        <p className="notice">
          Connect a channel first: <Link to="/channels">Channels</Link>.
        </p>
      ) : null}
      <form className="compose" onSubmit={submit} noValidate>
        <div className="compose-main stack">
          {refusedLocally && (refusing.length > 0 || targets.length === 0) ? (
            <RefusalSummary
              ref={summary}
              title={targets.length === 0 ? 'Pick at least one channel.' : 'Not sent: the post breaks a rule of these channels.'}
              refusing={refusing}
              checks={checks}
            />
          ) : (
            <ProblemAlert ref={summary} problem={problem} shownAt={['text', 'variants', 'channelIds', 'media', 'schedule']} />
          )}
          <fieldset className="channel-picker">
            <legend>Channels</legend>
            {usable.map((channel) => (
              <label key={channel.id} className="checkbox">
                <input type="checkbox" checked={selected.includes(channel.id)} onChange={() => toggle(channel.id)} />
                {channelName(channel)}
              </label>
            ))}
            {(channels.data ?? [])
              .filter((channel) => channel.status === 'disconnected')
              .map((channel) => (
                <p key={channel.id} className="muted">
                  {channelName(channel)} is disconnected: <Link to="/channels">reconnect it</Link> to post there.
                </p>
              ))}
            <FieldErrors messages={fieldMessages(problem, 'channelIds')} />
          </fieldset>

          <TextAreaField
            label="Text"
            rows={6}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onPaste={pasted}
            errors={fieldMessages(problem, 'text')}
            after={
              targets.length > 0 ? (
                <ul className="counters" aria-label="Length on each channel">
                  {targets
                    .filter((channel) => variants[channel.id] === undefined)
                    .map((channel) => (
                      <Counter key={channel.id} channel={channel} check={checks.get(channel.id)!} />
                    ))}
                </ul>
              ) : null
            }
          />
          <p className="visually-hidden" aria-live="polite">
            {refusing.length > 0 ? `Refused on ${refusing.map(channelName).join(', ')}` : ''}
          </p>

          <VariantFields targets={targets} text={text} variants={variants} setVariants={setVariants} checks={checks} problem={problem} rows={4} />

          <MediaPicker attachments={attachments} add={add} remove={remove} move={move} setAlt={setAlt} problem={problem} />
          <SchedulePicker choice={schedule} onChange={setSchedule} problem={problem} />

          {needsApproval ? <p className="muted">An owner, admin or editor approves it before it is scheduled; you will see their note if they do not.</p> : null}
          <div className="row">
            <button type="submit" className="button primary" disabled={create.isPending || uploading}>
              {create.isPending ? 'Sending…' : uploading ? 'Uploading files…' : action}
            </button>
          </div>
        </div>
        <aside className="compose-previews" aria-label="Previews">
          <h2>Preview</h2>
          {targets.length === 0 ? <p className="muted">Pick a channel to see how the post looks there.</p> : null}
          {targets.map((channel) => (
            <Preview key={channel.id} channel={channel} text={textFor(text, variants, channel.id)} attachments={attachments} />
          ))}
        </aside>
      </form>
    </Page>
  );
}

function FieldErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
