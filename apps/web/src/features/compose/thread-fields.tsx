/**
 * A post's parts in compose: each part's text with its counter on each
 * picked channel and its own files; add a part, move one earlier or later
 * (buttons: the keyboard and screen readers reorder as well as a mouse),
 * remove one; a later part's own text on a channel that takes threads
 * (X can get a shorter reply than Mastodon); and "Split into a thread", which cuts a long text at sentence
 * ends so each part fits every picked channel that takes threads. One part
 * looks as a post always has: one "Text" field.
 */
import type { ClipboardEvent, Dispatch, ReactNode, SetStateAction } from 'react';
import { TAKES_FIRST_COMMENT } from '@herald/channels/rules/catalog';
import { fieldMessages, type Problem } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { TextAreaField } from '../../ui/field';
import { channelName } from '../channels/api';
import type { Attachment } from './attachments';
import type { ChannelCheck } from './checks';
import { Counter } from './counter';
import { MediaPicker } from './media-picker';
import { takesThreads, type ThreadPart } from './thread';
import { VariantFields } from './variant-fields';

export interface PartFiles {
  of: (part: string) => Attachment[];
  add: (part: string, files: Iterable<File>) => void;
  remove: (part: string, key: string) => void;
  move: (part: string, key: string, by: -1 | 1) => void;
  setAlt: (part: string, key: string, alt: string) => void;
}

interface Props {
  parts: ThreadPart[];
  targets: ChannelView[];
  variants: Record<string, string>;
  /** Per part (by index), each channel's check. */
  checks: Map<string, ChannelCheck>[];
  files: PartFiles;
  problem: Problem | undefined;
  onText: (key: string, text: string) => void;
  onMove: (key: string, by: -1 | 1) => void;
  onRemove: (key: string) => void;
  /** What goes between the first part's text and its files (the variants, when there is one part). */
  afterFirst?: ReactNode;
  /** Sets a later part's own texts per channel; without it, later parts have none to edit. */
  onVariants?: (key: string) => Dispatch<SetStateAction<Record<string, string>>>;
}

export function ThreadFields({ parts, targets, variants, checks, files, problem, onText, onMove, onRemove, afterFirst, onVariants }: Props) {
  const several = parts.length > 1;
  const counters = (index: number) => {
    // A part on a channel with its own text is counted at that text; later parts only where there are threads.
    const shown = targets.filter((channel) => (index === 0 ? variants[channel.id] === undefined : takesThreads(channel) && parts[index]!.variants?.[channel.id] === undefined));
    if (shown.length === 0) return null;
    return (
      <ul className="counters" aria-label={several ? `Length of part ${index + 1} on each channel` : 'Length on each channel'}>
        {shown.map((channel) => (
          <Counter key={channel.id} channel={channel} check={checks[index]!.get(channel.id)!} />
        ))}
      </ul>
    );
  };
  const pasted = (key: string) => (event: ClipboardEvent) => {
    if (event.clipboardData.files.length > 0) {
      event.preventDefault();
      files.add(key, Array.from(event.clipboardData.files));
    }
  };
  const picker = (part: ThreadPart, index: number) => (
    <MediaPicker
      legend={several ? `Images and video for part ${index + 1}` : undefined}
      attachments={files.of(part.key)}
      add={(added) => files.add(part.key, added)}
      remove={(key) => files.remove(part.key, key)}
      move={(key, by) => files.move(part.key, key, by)}
      setAlt={(key, alt) => files.setAlt(part.key, key, alt)}
      problem={problem}
      path={several ? `parts[${index}].media` : 'media'}
    />
  );
  // The channels where a later part goes out as a reply, and so may have its own text.
  const threaded = targets.filter(takesThreads);
  if (!several) {
    const part = parts[0]!;
    return (
      <>
        <TextAreaField label="Text" rows={6} value={part.text} onChange={(event) => onText(part.key, event.target.value)} onPaste={pasted(part.key)} errors={fieldMessages(problem, 'text')} after={targets.length > 0 ? counters(0) : null} />
        {afterFirst}
        {picker(part, 0)}
      </>
    );
  }
  return (
    <>
      <ol className="thread-parts" aria-label={`Thread of ${parts.length} parts`}>
        {parts.map((part, index) => {
          const label = `Part ${index + 1} of ${parts.length}`;
          return (
            <li key={part.key} className="thread-part" data-part={index}>
              <div className="thread-part-head">
                <h3 className="thread-part-title">
                  <span className="thread-part-number" aria-hidden="true">
                    {index + 1}
                  </span>
                  {index === 0 ? 'The post' : `Reply ${index}`}
                </h3>
                <div className="row">
                  <button type="button" className="button small" disabled={index === 0} onClick={() => onMove(part.key, -1)} aria-label={`Move part ${index + 1} earlier`}>
                    ↑ Earlier
                  </button>
                  <button type="button" className="button small" disabled={index === parts.length - 1} onClick={() => onMove(part.key, 1)} aria-label={`Move part ${index + 1} later`}>
                    ↓ Later
                  </button>
                  <button type="button" className="button small danger" onClick={() => onRemove(part.key)} aria-label={`Remove part ${index + 1}`}>
                    Remove
                  </button>
                </div>
              </div>
              <TextAreaField
                label={label}
                rows={index === 0 ? 5 : 4}
                value={part.text}
                onChange={(event) => onText(part.key, event.target.value)}
                onPaste={pasted(part.key)}
                errors={partMessages(problem, index)}
                after={targets.length > 0 ? counters(index) : null}
              />
              {index === 0 ? afterFirst : null}
              {index > 0 && onVariants && threaded.length > 0 ? (
                <VariantFields part={index} targets={threaded} text={part.text} variants={part.variants ?? {}} setVariants={onVariants(part.key)} checks={checks[index]!} problem={problem} rows={3} />
              ) : null}
              {picker(part, index)}
            </li>
          );
        })}
      </ol>
    </>
  );
}

/** What the API says of a part's text (`text` or `parts[0]` for the first), not of its own variants or files, shown at theirs. */
function partMessages(problem: Problem | undefined, index: number): string[] {
  const own = index === 0 ? [...fieldMessages(problem, 'text'), ...fieldMessages(problem, 'parts[0]')] : fieldMessages(problem, `parts[${index}]`);
  const elsewhere = new Set([...fieldMessages(problem, `parts[${index}].variants`), ...fieldMessages(problem, `parts[${index}].media`)]);
  return own.filter((message) => !elsewhere.has(message));
}

/** The first comment: where it goes on each picked channel, and its counter there. */
export function FirstCommentField({ targets, text, onChange, checks, problem }: { targets: ChannelView[]; text: string; onChange: (text: string) => void; checks: Map<string, ChannelCheck>; problem: Problem | undefined }) {
  const replies = targets.filter(takesThreads);
  const comments = targets.filter((channel) => !takesThreads(channel) && TAKES_FIRST_COMMENT[channel.network]);
  // YouTube, TikTok, Pinterest and Business Profile take none: the API refuses the post with one, so say it here first.
  const without = targets.filter((channel) => !TAKES_FIRST_COMMENT[channel.network]);
  const refused = text.trim() !== '' && without.length > 0 ? [`${without.map(channelName).join(', ')} ${without.length === 1 ? 'takes' : 'take'} no first comment: remove it, or post there separately`] : [];
  const hint = [
    comments.length > 0 ? `a comment under the post on ${comments.map(channelName).join(', ')}` : '',
    replies.length > 0 ? `a reply after the last part on ${replies.map(channelName).join(', ')}` : '',
    without.length > 0 ? `none on ${without.map(channelName).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <div className="first-comment">
      <TextAreaField
        label="First comment (optional)"
        rows={2}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        hint={`Published right after the post by the same account: ${hint}. Where a link does best outside the post.`}
        errors={[...refused, ...fieldMessages(problem, 'firstComment').filter((message) => refused.length === 0 || !/takes no first comment/.test(message))]}
        after={
          text.trim() !== '' ? (
            <ul className="counters" aria-label="Length of the first comment on each channel">
              {targets.map((channel) => (checks.get(channel.id) ? <Counter key={channel.id} channel={channel} check={checks.get(channel.id)!} /> : null))}
            </ul>
          ) : null
        }
      />
    </div>
  );
}
