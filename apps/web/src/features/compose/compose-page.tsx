/**
 * Compose: one text for every channel picked (with a variant for any of them),
 * files with their alt text, a live count per channel by the API's own rules,
 * a preview per network, and when it goes out. A post the rules say a channel
 * would refuse is not sent; what the API refuses anyway is shown at the field
 * its problem names. A post may be a thread of parts (each with its own
 * files and counter) and have a first comment (PRODUCT.md section 10). It
 * carries tags, may be evergreen, and "Repeat" makes it a recurring series
 * (POST /v1/series) read in its channel's zone.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useRef, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf, type Problem } from '../../api/problem';
import { FieldErrors, TextField } from '../../ui/field';
import { Page } from '../../ui/page';
import { usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import type { ChannelView } from '../../api/views';
import { channelName, channelsQuery } from '../channels/api';
import { OnboardingChecklist } from '../onboarding/checklist';
import { RepeatFields } from '../series/repeat-fields';
import { defaultRepeat, repeatGap, seriesTiming, type RepeatChoice } from '../series/repeat-rule';
import { TagPicker } from '../tags/tag-picker';
import { ChannelPicker } from './channel-picker';
import { useAttachmentGroups } from './attachments';
import { textFor } from './checks';
import type { ComposeSearch } from './compose-search';
import { Preview } from './preview';
import { RefusalSummary } from './refusal-summary';
import { MODES, SchedulePicker, scheduleBody, type ScheduleChoice } from './schedule-picker';
import { checkThread, contentBody, partTextFor, refusalWords, takesThreads, type ThreadPart } from './thread';
import { newPartKey, useThreadParts } from './use-thread-parts';
import { FirstCommentField, ThreadFields } from './thread-fields';
import { fitsEvery, splitIntoThread } from './thread-split';
import { VariantFields } from './variant-fields';
import { NetworkOptionsFields } from './network-options-fields';
import { useFreshTikTokCreators } from './use-fresh-creators';
import { photosOnly, useNetworkOptions } from './use-network-options';

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
  const [firstComment, setFirstComment] = useState('');
  const [variants, setVariants] = useState<Record<string, string>>({});
  // Opened from the calendar's empty slot (`?at=&tz=`): a time in that zone; else the queue.
  const asked = useSearch({ strict: false }) as ComposeSearch;
  const [schedule, setSchedule] = useState<ScheduleChoice>(asked.at ? { mode: 'at', localTime: asked.at, timezone: asked.tz ?? person.timeZone } : asked.repeat ? { mode: 'repeat', localTime: tomorrowMorning(), timezone: person.timeZone } : { mode: 'queue', localTime: tomorrowMorning(), timezone: person.timeZone });
  const [refusedLocally, setRefusedLocally] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const files = useAttachmentGroups();
  const { parts, setParts, said, setSaid, setPartText, setPartVariants, addPart, movePartBy, removePartOf } = useThreadParts([{ key: 'main', text: '' }], files.drop);
  const canPublish = useCan('posts.publish');
  const [tags, setTags] = useState<string[]>([]);
  const [evergreen, setEvergreen] = useState(false);
  const [links, setLinks] = useState<LinkChoice>({ utm: false, campaign: '', shorten: false });
  const networkOptions = useNetworkOptions();
  const [repeatChoice, setRepeatChoice] = useState<RepeatChoice>(() => defaultRepeat(person.timeZone));
  // The repeat's zone is the first picked channel's until the person picks another.
  const [repeatZone, setRepeatZone] = useState<string | null>(null);

  const usable = (channels.data ?? []).filter((channel) => channel.status !== 'disconnected');
  const targets = usable.filter((channel) => selected.includes(channel.id));
  useFreshTikTokCreators(targets);
  // Counted on every change: the same check the API makes when the post is sent.
  const check = checkThread(targets, parts, variants, files.of, firstComment, networkOptions.optionsOf);
  const refusing = targets.filter((channel) => check.refusing.has(channel.id));
  const { uploading } = check;
  const text = parts[0]!.text;
  // The links options are offered once a part or the comment holds a link.
  const hasLinks = [...parts.map((part) => part.text), firstComment].some((value) => /https?:\/\/\S/.test(value));
  // "Split into a thread": under every picked channel that takes threads, counted as each counts.
  const threaded = targets.filter(takesThreads);
  const tooLong = (part: ThreadPart, index: number) => threaded.some((channel) => (check.parts[index]?.get(channel.id)?.violations ?? []).some((violation) => violation.code.startsWith('text_too')));
  const canSplit = parts.some(tooLong);
  const split = () => {
    const fits = fitsEvery(threaded);
    const next = parts.flatMap((part, index) => (tooLong(part, index) ? splitIntoThread(part.text, fits).map((piece, at) => ({ key: at === 0 ? part.key : newPartKey(), text: piece })) : [part]));
    setParts(next);
    setSaid(`Split into ${next.length} parts.`);
  };
  const repeating = schedule.mode === 'repeat';
  const zoneChannel = targets[0];
  const repeat: RepeatChoice = { ...repeatChoice, timezone: repeatZone ?? zoneChannel?.timezone ?? person.timeZone };
  const changeRepeat = (next: RepeatChoice) => {
    if (next.timezone !== repeat.timezone) setRepeatZone(next.timezone);
    setRepeatChoice(next);
  };
  // A series carries text and per-channel variants (docs/content.md): not a thread, files or a first comment.
  const notRepeatable = [
    ...(parts.length > 1 ? ['a thread of several parts'] : []),
    ...(parts.some((part) => files.of(part.key).length > 0) ? ['files'] : []),
    ...(firstComment.trim() ? ['a first comment'] : []),
  ];
  const createSeries = useMutation({
    mutationFn: () =>
      call(
        herald.POST('/v1/series', {
          body: {
            text,
            channelIds: targets.map((channel) => channel.id),
            variants: Object.fromEntries(Object.entries(variants).filter(([channelId]) => selected.includes(channelId))),
            tags,
            evergreen,
            ...seriesTiming(repeat),
          },
        }),
      ),
    onSuccess: async (series) => {
      await queryClient.invalidateQueries({ queryKey: ['series'] });
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      await navigate({ to: '/series', search: { created: series.id } });
    },
    onError: () => setTimeout(() => summary.current?.focus(), 0),
  });
  const create = useMutation({
    mutationFn: () =>
      call(
        herald.POST('/v1/posts', {
          body: {
            ...contentBody(parts, check.ready, firstComment, targets.map((channel) => channel.id)),
            channelIds: targets.map((channel) => channel.id),
            variants: Object.fromEntries(Object.entries(variants).filter(([channelId]) => selected.includes(channelId))),
            schedule: scheduleBody(schedule),
            ...(tags.length > 0 ? { tags } : {}),
            ...(evergreen ? { evergreen } : {}),
            ...(hasLinks ? linksBody(links) : {}),
            ...optionsPart(networkOptions.body(targets)),
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
  const failed = repeating ? createSeries.error : create.error;
  const problem = failed ? problemOf(failed) : undefined;
  // What the API said of the thread as a whole (a channel without threads), not of one part (shown at the part).
  const threadWide = fieldMessages(problem, 'parts').filter((message) => !parts.some((_part, index) => fieldMessages(problem, `parts[${index}]`).includes(message)));

  // The queue needs posting times: a channel without any is named, with a link to set them, before anything is sent.
  const usesQueue = schedule.mode === 'queue' || schedule.mode === 'next';
  const withoutTimes = usesQueue ? targets.filter((channel) => channel.postingSchedule.slots.length === 0) : [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (withoutTimes.length > 0) {
      setTimeout(() => document.getElementById('no-times')?.focus(), 0);
      return;
    }
    if (!repeating && networkOptions.blocks(targets)) {
      setTimeout(() => document.querySelector<HTMLElement>('.network-options.has-errors select, .network-options.has-errors input')?.focus(), 0);
      return;
    }
    if (refusing.length > 0 || targets.length === 0) {
      setRefusedLocally(true);
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    setRefusedLocally(false);
    if (repeating) {
      if (notRepeatable.length > 0 || repeatGap(repeat)) {
        setTimeout(() => document.getElementById('repeat-blocked')?.focus(), 0);
        return;
      }
      createSeries.mutate();
    } else create.mutate();
  };
  // Without posts.publish (a contributor), what is scheduled waits for an editor's approval.
  const needsApproval = !canPublish && schedule.mode !== 'draft';
  const action = needsApproval ? 'Submit for approval' : MODES.find((option) => option.mode === schedule.mode)!.action;

  return (
    <Page title="Compose">
      <OnboardingChecklist />
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
              checks={check.parts[0]!}
              reasons={(channelId) => refusalWords(channelId, check, parts.length)}
            />
          ) : (
            <ProblemAlert ref={summary} problem={problem} shownAt={['text', 'variants', 'channelIds', 'media', 'schedule', 'parts', 'firstComment', 'links', 'networkOptions']} />
          )}
          <ChannelPicker
            channels={usable}
            disconnected={(channels.data ?? []).filter((channel) => channel.status === 'disconnected')}
            selected={selected}
            onChange={setSelected}
            errors={fieldMessages(problem, 'channelIds')}
          />

          {check.noThreads.length > 0 ? (
            <div className="alert alert-warn" role="status" id="no-threads">
              <p className="alert-title">
                {check.noThreads.map(channelName).join(', ')} {check.noThreads.length === 1 ? 'takes' : 'take'} one part, not a thread of {parts.length}
              </p>
              <p>LinkedIn, Facebook and Instagram have no threads. Untick {check.noThreads.length === 1 ? 'it' : 'them'} for this post, or keep one part (the first comment can carry the rest).</p>
              <button type="button" className="button small" onClick={() => setSelected((current) => current.filter((id) => !check.noThreads.some((channel) => channel.id === id)))}>
                Untick {check.noThreads.map(channelName).join(', ')}
              </button>
            </div>
          ) : null}
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
            afterFirst={<VariantFields targets={targets} text={text} variants={variants} setVariants={setVariants} checks={check.parts[0]!} problem={problem} rows={4} />}
          />
          <div className="thread-tools">
            <button type="button" className="button" onClick={addPart}>
              + Add a part
            </button>
            <button type="button" className="button" onClick={split} disabled={!canSplit} aria-describedby="split-hint">
              Split into a thread
            </button>
            <span className="field-hint" id="split-hint">
              {canSplit
                ? `Cuts the long text at sentence ends, each part within ${threaded.map(channelName).join(', ')}.`
                : threaded.length === 0 && targets.length > 0
                  ? 'Threads are for X, Bluesky, Mastodon and Threads.'
                  : 'For a text longer than a picked channel takes.'}
            </span>
          </div>
          <FieldErrors messages={threadWide} />
          <p className="visually-hidden" aria-live="polite">
            {refusing.length > 0 ? `Refused on ${refusing.map(channelName).join(', ')}. ` : ''}
            {said}
          </p>
          {targets.length > 0 ? <FirstCommentField targets={targets} text={firstComment} onChange={setFirstComment} checks={check.comment} problem={problem} /> : null}
          {!repeating ? (
            <NetworkOptionsFields
              targets={targets}
              text={text}
              choice={networkOptions.choice}
              onChange={networkOptions.setChoice}
              problem={problem}
              local={networkOptions.local(targets, check.parts[0])}
              photosOnly={photosOnly(files.of(parts[0]!.key))}
            />
          ) : null}

          <TagPicker selected={tags} onChange={setTags} errors={fieldMessages(problem, 'tags')} />
          <EvergreenField checked={evergreen} onChange={setEvergreen} targets={targets} />
          {hasLinks && !repeating ? <LinksFields choice={links} onChange={setLinks} problem={problem} /> : null}
          <SchedulePicker
            choice={schedule}
            onChange={setSchedule}
            problem={problem}
            repeat={canPublish ? <RepeatFields choice={repeat} onChange={changeRepeat} zoneOwner={zoneChannel && !repeatZone ? `the time zone of ${channelName(zoneChannel)}` : null} problem={problem} /> : undefined}
          />
          {repeating && notRepeatable.length > 0 ? (
            <div className="alert alert-warn" id="repeat-blocked" tabIndex={-1} role="status">
              <p className="alert-title">A repeating post carries text only</p>
              <p>Remove {notRepeatable.join(', ')} to repeat it, or pick another “When”.</p>
            </div>
          ) : null}
          {withoutTimes.length > 0 ? (
            <div className="alert alert-warn" id="no-times" tabIndex={-1} role="status">
              <p className="alert-title">
                {withoutTimes.length === 1 ? `${channelName(withoutTimes[0]!)} has no posting times yet` : 'These channels have no posting times yet'}
              </p>
              <p>The queue posts at a channel's posting times. Set them, or pick another “When” (a date and time, now, or a draft).</p>
              <ul>
                {withoutTimes.map((channel) => (
                  <li key={channel.id}>
                    <Link to="/channels/$channelId" params={{ channelId: channel.id }} search={{ tab: 'times' }}>
                      Set posting times for {channelName(channel)}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          {needsApproval ? <p className="muted">An owner, admin or editor approves it before it is scheduled; you will see their note if they do not.</p> : null}
          <div className="row">
            <button type="submit" className="button primary" disabled={create.isPending || createSeries.isPending || uploading || withoutTimes.length > 0}>
              {create.isPending || createSeries.isPending ? 'Sending…' : uploading ? 'Uploading files…' : action}
            </button>
          </div>
        </div>
        <aside className="compose-previews" aria-label="Previews">
          <h2>Preview</h2>
          {targets.length === 0 ? <p className="muted">Pick a channel to see how the post looks there.</p> : null}
          {targets.map((channel) => (
            <Preview
              key={channel.id}
              channel={channel}
              text={textFor(text, variants, channel.id)}
              attachments={files.of(parts[0]!.key)}
              more={parts.slice(1).map((part, index) => ({ key: part.key, text: partTextFor(part, index + 1, variants, channel.id), attachments: files.of(part.key) }))}
              firstComment={firstComment}
              options={networkOptions.optionsOf(channel)}
            />
          ))}
        </aside>
      </form>
    </Page>
  );
}

/** `networkOptions` when the post gives any. */
function optionsPart(body: ReturnType<ReturnType<typeof useNetworkOptions>['body']>) {
  return Object.keys(body).length > 0 ? { networkOptions: body } : {};
}

interface LinkChoice {
  utm: boolean;
  campaign: string;
  shorten: boolean;
}

/** `links` as the API takes it: UTM (with its campaign when given) and short links, when asked. */
function linksBody(choice: LinkChoice): { links?: { utm?: true | { campaign: string }; shorten?: true } } {
  if (!choice.utm && !choice.shorten) return {};
  const campaign = choice.campaign.trim();
  return { links: { ...(choice.utm ? { utm: campaign ? { campaign } : true } : {}), ...(choice.shorten ? { shorten: true } : {}) } };
}

/** "Links": UTM parameters on each link (per network), and short links from the shortener this Herald is set up with. */
function LinksFields({ choice, onChange, problem }: { choice: LinkChoice; onChange: (choice: LinkChoice) => void; problem: Problem | undefined }) {
  const errors = fieldMessages(problem, 'links');
  return (
    <fieldset className="plain-fieldset links-fields">
      <legend>Links</legend>
      <p className="field-hint">Left unticked, each channel’s own links settings apply (its Settings tab).</p>
      <label className="checkbox">
        <input type="checkbox" checked={choice.utm} onChange={(event) => onChange({ ...choice, utm: event.target.checked })} aria-describedby="utm-hint" />
        <span>
          <span className="radio-label">Track links</span>
          <span className="field-hint" id="utm-hint">
            {' '}
            Adds utm_source (each channel’s network) and utm_medium=social to every link, so your site’s analytics tell the networks apart.
          </span>
        </span>
      </label>
      {choice.utm ? <TextField label="Campaign (utm_campaign, optional)" className="narrow-field" value={choice.campaign} onChange={(event) => onChange({ ...choice, campaign: event.target.value })} /> : null}
      <label className="checkbox">
        <input type="checkbox" checked={choice.shorten} onChange={(event) => onChange({ ...choice, shorten: event.target.checked })} aria-describedby="shorten-hint" />
        <span>
          <span className="radio-label">Shorten links</span>
          <span className="field-hint" id="shorten-hint">
            {' '}
            Through the link shortener this Herald is set up with, when the post is scheduled. The counts above are of the long links.
          </span>
        </span>
      </label>
      <FieldErrors messages={errors} />
    </fieldset>
  );
}

/** "Evergreen": once published, the post may come back at the end of the queue of the picked channels that recycle. */
function EvergreenField({ checked, onChange, targets }: { checked: boolean; onChange: (checked: boolean) => void; targets: ChannelView[] }) {
  const recycling = targets.filter((channel) => channel.evergreenMinRepeatDays !== null);
  return (
    <label className="checkbox evergreen-field">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} aria-describedby="evergreen-hint" />
      <span>
        <span className="radio-label">Evergreen</span>
        <span className="field-hint" id="evergreen-hint">
          {' '}
          {recycling.length > 0
            ? `Once published, it comes back at the end of the queue on ${recycling.map((channel) => `${channelName(channel)} (after ${channel.evergreenMinRepeatDays} days or more)`).join(', ')}.`
            : targets.length > 0
              ? 'None of the picked channels recycles its queue yet: a channel’s settings turn it on.'
              : 'Recycled into the queue of channels that recycle, once published.'}
        </span>
      </span>
    </label>
  );
}
