/**
 * Editing a post from its page: its text, or each part of a thread (add,
 * move, remove a part; each part's files with their alt text), a variant per
 * channel, the first comment, and when it goes out, for the deliveries not
 * yet published (PATCH /v1/posts/:id). Counted live by the same rules as
 * compose; what the API refuses (422) is shown at the field it names, a post
 * being published (409) says so above the form. A thread's parts already on
 * a network stay as they went out. A contributor's edit of a post that is to
 * go out goes back for approval, and the form says so before it is saved.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useRef, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { PostView } from '../../api/views';
import { usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import { channelName, channelsQuery } from '../channels/api';
import { attachmentOf, useAttachmentGroups, type Attachment } from '../compose/attachments';
import { RefusalSummary } from '../compose/refusal-summary';
import { SchedulePicker, scheduleBody, type ScheduleChoice } from '../compose/schedule-picker';
import { checkThread, mediaBody, partVariantsBody, refusalWords, type ThreadPart } from '../compose/thread';
import { FirstCommentField, ThreadFields } from '../compose/thread-fields';
import { useThreadParts } from '../compose/use-thread-parts';
import { VariantFields } from '../compose/variant-fields';
import { NetworkOptionsFields } from '../compose/network-options-fields';
import { photosOnly, useNetworkOptions } from '../compose/use-network-options';
import { optionNetworks } from '../compose/network-options';
import { FieldErrors } from '../../ui/field';
import { useFreshTikTokCreators } from '../compose/use-fresh-creators';

/** What an edit can still change: the deliveries not yet claimed for publishing. */
const EDITABLE = ['draft', 'pending_approval', 'scheduled'];

export function editable(post: PostView): boolean {
  return post.deliveries.some((delivery) => EDITABLE.includes(delivery.status));
}

/** The post's parts as the editor keys them: `main`, then one key per reply, each reply with its own texts per channel. */
function partsOf(post: PostView): { key: string; text: string; media: PostView['media']; variants?: Record<string, string> }[] {
  const parts: { text: string; media?: PostView['media']; variants?: Record<string, string> }[] = post.parts && post.parts.length > 0 ? post.parts : [{ text: post.text, media: post.media }];
  return parts.map((part, index) => ({ key: index === 0 ? 'main' : `edit-${index}`, text: part.text, media: part.media ?? [], ...(part.variants ? { variants: { ...part.variants } } : {}) }));
}

/**
 * The edit button and, once pressed, the form (every part's files loaded from the library first, so the rules can judge them).
 * The form edits the post as it was when the button was pressed: the post saved (or changed live) meanwhile does not
 * swap the form out from under the person.
 */
export function EditPost({ post: current }: { post: PostView }) {
  const [post, setEditing] = useState<PostView | null>(null);
  const ids = post ? partsOf(post).flatMap((part) => part.media.flatMap((item) => (item.mediaId ? [item.mediaId] : []))) : [];
  const files = useQuery({
    queryKey: ['post-editor', current.id, 'media', ids],
    queryFn: () => Promise.all(ids.map((id) => call(herald.GET('/v1/media/{id}', { params: { path: { id } } })))),
    enabled: post !== null,
    staleTime: Infinity,
  });
  if (!post) {
    if (!editable(current)) return null;
    return (
      <div className="row">
        <button type="button" className="button" onClick={() => setEditing(current)}>
          Edit post
        </button>
      </div>
    );
  }
  if (files.isError) return <ProblemAlert problem={problemOf(files.error)} />;
  if (!files.data) return <p role="status">Loading the post’s files…</p>;
  const byId = new Map(files.data.map((media) => [media.id, media]));
  const initial = Object.fromEntries(
    partsOf(post).map((part) => [
      part.key,
      part.media.flatMap((item) => {
        const media = item.mediaId ? byId.get(item.mediaId) : undefined;
        return media ? [attachmentOf(media, item.alt ?? '')] : [];
      }),
    ]),
  );
  return <PostEditor post={post} initial={initial} onDone={() => setEditing(null)} />;
}

function PostEditor({ post, initial, onDone }: { post: PostView; initial: Record<string, Attachment[]>; onDone: () => void }) {
  const channels = useQuery(channelsQuery);
  const person = usePerson();
  const queryClient = useQueryClient();
  const canPublish = useCan('posts.publish');
  const summary = useRef<HTMLDivElement>(null);
  const files = useAttachmentGroups(initial);
  const { parts, said, setPartText, setPartVariants, addPart, movePartBy, removePartOf } = useThreadParts(
    partsOf(post).map(({ key, text, variants }): ThreadPart => ({ key, text, ...(variants ? { variants } : {}) })),
    files.drop,
  );
  const [variants, setVariants] = useState<Record<string, string>>({ ...post.variants });
  const [firstComment, setFirstComment] = useState(post.firstComment?.text ?? '');
  const networkOptions = useNetworkOptions(post.networkOptions);
  const [reschedule, setReschedule] = useState(false);
  const firstDue = post.deliveries.find((delivery) => EDITABLE.includes(delivery.status) && delivery.scheduledAt)?.scheduledAt;
  const [schedule, setSchedule] = useState<ScheduleChoice>({ mode: 'at', localTime: localTimeOf(firstDue, person.timeZone), timezone: person.timeZone });
  // A post that was a thread is edited as parts (the API takes its parts, not a text), even when one is left.
  const wasThread = (post.parts?.length ?? 0) > 1;
  // Files imported by URL before the library had them are kept as they are, in the first part.
  const byUrl = post.media.filter((item) => !item.mediaId);

  const editableChannels = new Set(post.deliveries.filter((delivery) => EDITABLE.includes(delivery.status)).map((delivery) => delivery.channelId));
  const targets = (channels.data ?? []).filter((channel) => editableChannels.has(channel.id));
  useFreshTikTokCreators(targets);
  // Counted on every change: the same check the API makes when the post is sent.
  const check = checkThread(targets, parts, variants, files.of, firstComment, networkOptions.optionsOf);
  const refusing = targets.filter((channel) => check.refusing.has(channel.id));

  // A reply's own texts are kept for every channel of the post (one already published keeps what it had), checked where it is to go out.
  const postChannels = post.deliveries.map((delivery) => delivery.channelId);
  const content = () => {
    const kept = byUrl.map((item) => ({ url: item.url!, ...(item.alt ? { alt: item.alt } : {}) }));
    const media = (index: number) => [...mediaBody(check.ready[index] ?? []), ...(index === 0 ? kept : [])];
    const comment = firstComment.trim() !== '' ? { firstComment: { text: firstComment } } : post.firstComment ? { firstComment: null } : {};
    if (parts.length > 1 || wasThread) return { parts: parts.map((part, index) => ({ text: part.text, media: media(index), ...partVariantsBody(part, index, postChannels) })), ...comment };
    return { text: parts[0]!.text, media: media(0), ...comment };
  };
  const save = useMutation({
    mutationFn: () =>
      call(
        herald.PATCH('/v1/posts/{id}', {
          params: { path: { id: post.id } },
          body: {
            ...content(),
            variants: Object.fromEntries(Object.entries(variants).filter(([channelId]) => editableChannels.has(channelId))),
            ...(reschedule ? { schedule: scheduleBody(schedule) } : {}),
            // The options replace the post's (those of networks it no longer has to publish on go with them); a post without any sends none.
            ...(optionNetworks(targets).length > 0 || Object.keys(post.networkOptions ?? {}).length > 0 ? { networkOptions: networkOptions.body(targets) } : {}),
          },
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['posts', saved.id], saved);
      onDone();
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
    },
    onError: () => setTimeout(() => summary.current?.focus(), 0),
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const [refusedLocally, setRefusedLocally] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (networkOptions.blocks(targets)) {
      setTimeout(() => document.querySelector<HTMLElement>('.post-editor .network-options.has-errors select')?.focus(), 0);
      return;
    }
    if (refusing.length > 0) {
      setRefusedLocally(true);
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    setRefusedLocally(false);
    save.mutate();
  };
  // A contributor's edit of a post that is to go out (or is given a time) is submitted for approval again.
  const backForApproval = !canPublish && (post.deliveries.some((delivery) => delivery.status === 'scheduled' || delivery.status === 'pending_approval') || (reschedule && schedule.mode !== 'draft'));
  const threadWide = fieldMessages(problem, 'parts').filter((message) => !parts.some((_part, index) => fieldMessages(problem, `parts[${index}]`).includes(message)));

  return (
    <form className="card stack post-editor" onSubmit={submit} noValidate aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit post</h2>
      <p className="muted">Changes reach only the channels where it is not yet published{wasThread ? '; parts already out stay as they went out' : ''}.</p>
      {refusedLocally && refusing.length > 0 ? (
        <RefusalSummary ref={summary} title="Not saved: the post breaks a rule of these channels." refusing={refusing} checks={check.parts[0]!} reasons={(channelId) => refusalWords(channelId, check, parts.length)} />
      ) : (
        <ProblemAlert ref={summary} problem={problem} shownAt={['text', 'variants', 'media', 'schedule', 'parts', 'firstComment', 'networkOptions']} />
      )}
      <ThreadFields
        parts={parts}
        targets={targets}
        variants={variants}
        checks={check.parts}
        files={files}
        problem={problem}
        onText={setPartText}
        onMove={movePartBy}
        onRemove={removePartOf}
        onVariants={setPartVariants}
        afterFirst={<VariantFields targets={targets} text={parts[0]!.text} variants={variants} setVariants={setVariants} checks={check.parts[0]!} problem={problem} rows={3} />}
      />
      <div className="thread-tools">
        <button type="button" className="button" onClick={addPart}>
          + Add a part
        </button>
        {check.noThreads.length > 0 ? <span className="field-hint">{check.noThreads.map(channelName).join(', ')} take one part, not a thread.</span> : null}
      </div>
      <FieldErrors messages={threadWide} />
      <p className="visually-hidden" aria-live="polite">
        {said}
      </p>
      {byUrl.length > 0 ? <p className="muted">{byUrl.length === 1 ? 'One file imported by address is kept as it is.' : `${byUrl.length} files imported by address are kept as they are.`}</p> : null}
      {targets.length > 0 ? <FirstCommentField targets={targets} text={firstComment} onChange={setFirstComment} checks={check.comment} problem={problem} /> : null}
      <NetworkOptionsFields
        targets={targets}
        text={parts[0]!.text}
        choice={networkOptions.choice}
        onChange={networkOptions.setChoice}
        problem={problem}
        local={networkOptions.local(targets, check.parts[0])}
        photosOnly={photosOnly(files.of(parts[0]!.key))}
      />
      <label className="checkbox">
        <input type="checkbox" checked={reschedule} onChange={(event) => setReschedule(event.target.checked)} />
        Change when it goes out
      </label>
      {reschedule ? <SchedulePicker choice={schedule} onChange={setSchedule} problem={problem} /> : <FieldErrors messages={fieldMessages(problem, 'schedule')} />}
      {backForApproval ? <p className="notice">Saving sends it back for approval: an owner, admin or editor approves it again before it goes out.</p> : null}
      <div className="row">
        <button type="submit" className="button primary" disabled={save.isPending || check.uploading}>
          {save.isPending ? 'Saving…' : check.uploading ? 'Uploading files…' : backForApproval ? 'Save and submit for approval' : 'Save changes'}
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
