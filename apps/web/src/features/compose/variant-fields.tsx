/**
 * A post's per-channel texts, in compose and when a post is edited: a text
 * of its own for each channel ticked, with that channel's counter, and the
 * problems the API names at `variants.<channelId>` (or at `variants`).
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
}: {
  targets: ChannelView[];
  /** The post's text: a channel ticked starts from it. */
  text: string;
  variants: Record<string, string>;
  setVariants: Dispatch<SetStateAction<Record<string, string>>>;
  checks: Map<string, ChannelCheck>;
  problem: Problem | undefined;
  rows: number;
}) {
  const customize = (channel: ChannelView, on: boolean) =>
    setVariants((current) => {
      const next = { ...current };
      if (on) next[channel.id] = text;
      else delete next[channel.id];
      return next;
    });
  const general = fieldMessages(problem, 'variants');
  return (
    <>
      {targets.map((channel) =>
        variants[channel.id] === undefined ? null : (
          <TextAreaField
            key={channel.id}
            label={`Text for ${channelName(channel)}`}
            rows={rows}
            value={variants[channel.id]}
            onChange={(event) => setVariants({ ...variants, [channel.id]: event.target.value })}
            errors={fieldMessages(problem, `variants.${channel.id}`)}
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
          <legend>Different text per channel</legend>
          {targets.map((channel) => (
            <label key={channel.id} className="checkbox">
              <input type="checkbox" checked={variants[channel.id] !== undefined} onChange={(event) => customize(channel, event.target.checked)} />
              Customize for {channelName(channel)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {general.length > 0 && targets.every((channel) => fieldMessages(problem, `variants.${channel.id}`).length === 0) ? (
        <ul className="field-errors">
          {general.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
