/**
 * Editing a post from its page: the text, a variant per channel, the files
 * with their alt text, and when it goes out, for the deliveries not yet
 * published (PATCH /v1/posts/:id). Counted live by the same rules as
 * compose; what the API refuses (422) is shown at the field it names, a
 * post being published (409) says so above the form. A contributor's edit
 * of a post that is to go out goes back for approval, and the form says so
 * before it is saved.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useRef, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { PostView } from '../../api/views';
import { TextAreaField } from '../../ui/field';
import { usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import { channelsQuery } from '../channels/api';
import { attachmentOf, useAttachments, type Attachment } from '../compose/attachments';
import { checkPost } from '../compose/checks';
import { Counter } from '../compose/counter';
import { MediaPicker } from '../compose/media-picker';
import { RefusalSummary } from '../compose/refusal-summary';
import { SchedulePicker, scheduleBody, type ScheduleChoice } from '../compose/schedule-picker';
import { VariantFields } from '../compose/variant-fields';

/** What an edit can still change: the deliveries not yet claimed for publishing. */
const EDITABLE = ['draft', 'pending_approval', 'scheduled'];

export function editable(post: PostView): boolean {
  return post.deliveries.some((delivery) => EDITABLE.includes(delivery.status));
}

/** The edit button and, once pressed, the form (its files loaded from the library first, so the rules can judge them). */
export function EditPost({ post }: { post: PostView }) {
  const [open, setOpen] = useState(false);
  const ids = post.media.flatMap((item) => (item.mediaId ? [item.mediaId] : []));
  const files = useQuery({
    queryKey: ['posts', post.id, 'media', ids],
    queryFn: () => Promise.all(ids.map((id) => call(herald.GET('/v1/media/{id}', { params: { path: { id } } })))),
    enabled: open,
    staleTime: Infinity,
  });
  if (!open) {
    if (!editable(post)) return null;
    return (
      <div className="row">
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Edit post
        </button>
      </div>
    );
  }
  if (files.isError) return <ProblemAlert problem={problemOf(files.error)} />;
  if (!files.data) return <p role="status">Loading the post’s files…</p>;
  const byId = new Map(files.data.map((media) => [media.id, media]));
  const initial = post.media.flatMap((item) => {
    const media = item.mediaId ? byId.get(item.mediaId) : undefined;
    return media ? [attachmentOf(media, item.alt ?? '')] : [];
  });
  return <PostEditor post={post} initial={initial} onDone={() => setOpen(false)} />;
}

function PostEditor({ post, initial, onDone }: { post: PostView; initial: Attachment[]; onDone: () => void }) {
  const channels = useQuery(channelsQuery);
  const person = usePerson();
  const queryClient = useQueryClient();
  const canPublish = useCan('posts.publish');
  const summary = useRef<HTMLDivElement>(null);
  const [text, setText] = useState(post.text);
  const [variants, setVariants] = useState<Record<string, string>>({ ...post.variants });
  const [reschedule, setReschedule] = useState(false);
  const firstDue = post.deliveries.find((delivery) => EDITABLE.includes(delivery.status) && delivery.scheduledAt)?.scheduledAt;
  const [schedule, setSchedule] = useState<ScheduleChoice>({ mode: 'at', localTime: localTimeOf(firstDue, person.timeZone), timezone: person.timeZone });
  const { attachments, add, remove, move, setAlt } = useAttachments(initial);
  // A thread's parts are not edited here: only when it goes out.
  const thread = (post.parts?.length ?? 0) > 1;
  // Files imported by URL before the library had them are kept as they are.
  const byUrl = post.media.filter((item) => !item.mediaId);

  const editableChannels = new Set(post.deliveries.filter((delivery) => EDITABLE.includes(delivery.status)).map((delivery) => delivery.channelId));
  const targets = (channels.data ?? []).filter((channel) => editableChannels.has(channel.id));
  // Counted on every change: the same check the API makes when the post is sent.
  const { ready, checks, refusing, uploading } = checkPost(targets, text, variants, attachments);

  const save = useMutation({
    mutationFn: () =>
      call(
        herald.PATCH('/v1/posts/{id}', {
          params: { path: { id: post.id } },
          body: thread
            ? { ...(reschedule ? { schedule: scheduleBody(schedule) } : {}) }
            : {
            text,
            variants: Object.fromEntries(Object.entries(variants).filter(([channelId]) => editableChannels.has(channelId))),
            media: [
              ...ready.map((attachment) => ({ mediaId: attachment.media!.id, ...(attachment.alt ? { alt: attachment.alt } : {}) })),
              ...byUrl.map((item) => ({ url: item.url!, ...(item.alt ? { alt: item.alt } : {}) })),
            ],
            ...(reschedule ? { schedule: scheduleBody(schedule) } : {}),
              },
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['posts', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      onDone();
    },
    onError: () => setTimeout(() => summary.current?.focus(), 0),
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const [refusedLocally, setRefusedLocally] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (refusing.length > 0 && !thread) {
      setRefusedLocally(true);
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    setRefusedLocally(false);
    save.mutate();
  };
  // A contributor's edit of a post that is to go out (or is given a time) is submitted for approval again.
  const backForApproval = !canPublish && (post.deliveries.some((delivery) => delivery.status === 'scheduled' || delivery.status === 'pending_approval') || (reschedule && schedule.mode !== 'draft'));

  return (
    <form className="card stack post-editor" onSubmit={submit} noValidate aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit post</h2>
      <p className="muted">Changes reach only the channels where it is not yet published.</p>
      {refusedLocally && refusing.length > 0 ? (
        <RefusalSummary ref={summary} title="Not saved: the post breaks a rule of these channels." refusing={refusing} checks={checks} />
      ) : (
        <ProblemAlert ref={summary} problem={problem} shownAt={['text', 'variants', 'media', 'schedule']} />
      )}
      {thread ? (
        <p className="notice">This post is a thread of {post.parts!.length} parts: its parts and first comment are kept as they are; here you change when it goes out. To change a part, cancel the post and compose it again.</p>
      ) : (
        <>
      <TextAreaField
        label="Text"
        rows={5}
        value={text}
        onChange={(event) => setText(event.target.value)}
        errors={fieldMessages(problem, 'text')}
        after={
          <ul className="counters" aria-label="Length on each channel">
            {targets
              .filter((channel) => variants[channel.id] === undefined)
              .map((channel) => (
                <Counter key={channel.id} channel={channel} check={checks.get(channel.id)!} />
              ))}
          </ul>
        }
      />
      <VariantFields targets={targets} text={text} variants={variants} setVariants={setVariants} checks={checks} problem={problem} rows={3} />
      <MediaPicker attachments={attachments} add={add} remove={remove} move={move} setAlt={setAlt} problem={problem} />
        </>
      )}
      {byUrl.length > 0 ? <p className="muted">{byUrl.length === 1 ? 'One file imported by address is kept as it is.' : `${byUrl.length} files imported by address are kept as they are.`}</p> : null}
      <label className="checkbox">
        <input type="checkbox" checked={reschedule} onChange={(event) => setReschedule(event.target.checked)} />
        Change when it goes out
      </label>
      {reschedule ? (
        <SchedulePicker choice={schedule} onChange={setSchedule} problem={problem} />
      ) : fieldMessages(problem, 'schedule').length > 0 ? (
        <ul className="field-errors">
          {fieldMessages(problem, 'schedule').map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {backForApproval ? <p className="notice">Saving sends it back for approval: an owner, admin or editor approves it again before it goes out.</p> : null}
      <div className="row">
        <button type="submit" className="button primary" disabled={save.isPending || uploading}>
          {save.isPending ? 'Saving…' : uploading ? 'Uploading files…' : backForApproval ? 'Save and submit for approval' : 'Save changes'}
        </button>
        <button type="button" className="button" onClick={onDone} disabled={save.isPending}>
          Discard changes
        </button>
      </div>
    </form>
  );
}

/** `YYYY-MM-DDTHH:mm` of an instant in a zone, for the date picker; tomorrow at 09:00 when there is none. */
function localTimeOf(iso: string | null | undefined, timeZone: string): string {
  return iso ? DateTime.fromISO(iso).setZone(timeZone).toFormat("yyyy-MM-dd'T'HH:mm") : DateTime.now().setZone(timeZone).plus({ days: 1 }).toFormat("yyyy-MM-dd'T'09:00");
}
