/**
 * A post's per-channel texts, in compose and when a post is edited: a text
 * of its own for each channel ticked, with that channel's counter, and the
 * problems the API names at `variants.<channelId>` (or at `variants`). For a
 * later part of a thread (`part`), that part's own texts, named with its
 * number, and the problems at `parts[i].variants.<channelId>`.
 */
import type { Dispatch, SetStateAction } from 'react';
import { fieldMessages, type Problem } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { TextAreaField } from '../../ui/field';
import { channelName } from '../channels/api';
import type { ChannelCheck } from './checks';
import { Counter } from './counter';

export function VariantFields({
  targets,
  text,
  variants,
  setVariants,
  checks,
  problem,
  rows,
  part,
}: {
  targets: ChannelView[];
  /** The post's text: a channel ticked starts from it. */
  text: string;
  variants: Record<string, string>;
  setVariants: Dispatch<SetStateAction<Record<string, string>>>;
  checks: Map<string, ChannelCheck>;
  problem: Problem | undefined;
  rows: number;
  /** The index of a later part of a thread whose own texts these are; absent for the post's (its first part's). */
  part?: number;
}) {
  const path = part === undefined ? 'variants' : `parts[${part}].variants`;
  const of = part === undefined ? '' : ` part ${part + 1}`;
  const customize = (channel: ChannelView, on: boolean) =>
    setVariants((current) => {
      const next = { ...current };
      if (on) next[channel.id] = text;
      else delete next[channel.id];
      return next;
    });
  const general = fieldMessages(problem, path);
  return (
    <>
      {targets.map((channel) =>
        variants[channel.id] === undefined ? null : (
          <TextAreaField
            key={channel.id}
            label={part === undefined ? `Text for ${channelName(channel)}` : `Part ${part + 1} for ${channelName(channel)}`}
            rows={rows}
            value={variants[channel.id]}
            onChange={(event) => setVariants((current) => ({ ...current, [channel.id]: event.target.value }))}
            errors={fieldMessages(problem, `${path}.${channel.id}`)}
            after={
              <ul className="counters" aria-label={`Length on ${channelName(channel)}`}>
                <Counter channel={channel} check={checks.get(channel.id)!} />
              </ul>
            }
          />
        ),
      )}
      {targets.length > 0 ? (
        <fieldset className="variants">
          <legend>Different text per channel{of ? ` for${of}` : ''}</legend>
          {targets.map((channel) => (
            <label key={channel.id} className="checkbox">
              <input type="checkbox" checked={variants[channel.id] !== undefined} onChange={(event) => customize(channel, event.target.checked)} />
              Customize{of} for {channelName(channel)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {general.length > 0 && targets.every((channel) => fieldMessages(problem, `${path}.${channel.id}`).length === 0) ? (
        <ul className="field-errors">
          {general.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
