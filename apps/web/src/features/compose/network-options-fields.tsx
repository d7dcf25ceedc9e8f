/**
 * What the post tells only one network (`networkOptions`), in compose and
 * when a post is edited: a section per network among the picked channels
 * (YouTube, TikTok, Pinterest, Google Business Profile) that folds away, its
 * summary saying what is chosen. Each field shows what the rules find
 * wrong as it is typed and what the API refused at its path
 * (`networkOptions.<network>.<field>`); a section with a message opens.
 */
import { useState, type ReactNode } from 'react';
import { titleOf } from '@herald/channels/rules';
import type { Problem } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { SelectField, TextField } from '../../ui/field';
import { NetworkIcon } from '../../ui/network-icon';
import { NETWORK_NAMES, channelName } from '../channels/api';
import { YOUTUBE_PRIVACIES, YOUTUBE_PRIVACY_WORDS, boardsOf, channelDefault, defaultBoardOf, maxLengthOf, type YouTubePrivacy } from '../channels/network-choices';
import { GoogleBusinessFields, googleBusinessSummary } from './google-business-fields';
import { optionNetworks, tagsOf, type NetworkOptionsChoice, type OptionNetwork } from './network-options';
import { optionMessages, type OptionErrors } from './option-errors';
import { TikTokFields, tiktokSummary } from './tiktok-fields';

interface Props {
  targets: ChannelView[];
  /** The post's text (part 0): where the defaults come from (a YouTube title from its first line). */
  text: string;
  choice: NetworkOptionsChoice;
  onChange: (choice: NetworkOptionsChoice) => void;
  problem: Problem | undefined;
  /** What the rules find wrong with the options as they are, by `<network>.<field>`. */
  local: Map<string, string[]>;
  /** Whether the post's files are all photos (TikTok then takes no duets or stitches). */
  photosOnly: boolean;
}

export function NetworkOptionsFields({ targets, text, choice, onChange, problem, local, photosOnly }: Props) {
  const networks = optionNetworks(targets);
  if (networks.length === 0) return null;
  const errors: OptionErrors = (network, field) => optionMessages(problem, local, network, field);
  const of = (network: OptionNetwork) => targets.filter((channel) => channel.network === network);
  return (
    <div className="network-options-list">
      {networks.map((network) => (
        <OptionsSection key={network} network={network} summary={summaryOf(network, choice, of(network), text)} hasErrors={errors(network).length > 0} rest={errors(network, null)}>
          {network === 'youtube' ? <YouTubeFields channels={of(network)} text={text} choice={choice} onChange={onChange} errors={errors} /> : null}
          {network === 'tiktok' ? <TikTokFields channels={of(network)} choice={choice} onChange={onChange} errors={errors} photosOnly={photosOnly} /> : null}
          {network === 'pinterest' ? <PinterestFields channels={of(network)} choice={choice} onChange={onChange} errors={errors} /> : null}
          {network === 'google_business' ? <GoogleBusinessFields channels={of(network)} choice={choice} onChange={onChange} errors={errors} /> : null}
        </OptionsSection>
      ))}
    </div>
  );
}

/** One network's options, folded under a summary of what is chosen; open while it holds a message. */
function OptionsSection({ network, summary, hasErrors, rest, children }: { network: OptionNetwork; summary: string; hasErrors: boolean; rest: string[]; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={`network-options ${hasErrors ? 'has-errors' : ''}`} data-network={network} open={open || hasErrors} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <NetworkIcon network={network} size={18} />
        <span className="network-options-name">{NETWORK_NAMES[network]} options</span>
        <span className="network-options-summary">{summary}</span>
        {hasErrors ? <span className="badge badge-danger">Needs a fix</span> : null}
      </summary>
      <div className="network-options-body stack">
        {children}
        {rest.length > 0 ? (
          <ul className="field-errors">
            {rest.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </details>
  );
}

function summaryOf(network: OptionNetwork, choice: NetworkOptionsChoice, channels: ChannelView[], text: string): string {
  switch (network) {
    case 'youtube': {
      const { title, privacy, tags } = choice.youtube;
      const shownPrivacy = privacy || (channels.length === 1 ? (channelDefault<YouTubePrivacy>(channels[0]!, 'privacy') ?? 'public') : '');
      const count = tagsOf(tags).length;
      return [title.trim() ? `“${title.trim()}”` : titleOf(text) ? 'Title from the first line' : 'No title yet', shownPrivacy ? YOUTUBE_PRIVACY_WORDS[shownPrivacy].replace(/ \(.*/, '') : 'Each channel’s privacy', count > 0 ? `${count} ${count === 1 ? 'tag' : 'tags'}` : null].filter(Boolean).join(' · ');
    }
    case 'tiktok':
      return tiktokSummary(choice.tiktok);
    case 'pinterest': {
      const { boardId, title, link } = choice.pinterest;
      const board = channels.length === 1 ? (boardsOf(channels[0]!).find((entry) => entry.id === boardId) ?? defaultBoardOf(channels[0]!)) : undefined;
      return [board ? `Board: ${board.name}` : 'Each channel’s board', title.trim() ? `“${title.trim()}”` : null, link.trim() ? hostOf(link) : null].filter(Boolean).join(' · ');
    }
    case 'google_business':
      return googleBusinessSummary(choice.google_business);
  }
}

export function hostOf(link: string): string {
  try {
    return new URL(link.trim()).host.replace(/^www\./, '');
  } catch {
    return link.trim();
  }
}

interface FieldsProps {
  channels: ChannelView[];
  choice: NetworkOptionsChoice;
  onChange: (choice: NetworkOptionsChoice) => void;
  errors: OptionErrors;
}

function YouTubeFields({ channels, text, choice, onChange, errors }: FieldsProps & { text: string }) {
  const youtube = choice.youtube;
  const set = (next: Partial<typeof youtube>) => onChange({ ...choice, youtube: { ...youtube, ...next } });
  const max = maxLengthOf('youtube', 'title') ?? 100;
  const firstLine = titleOf(text);
  const own = channels.length === 1 ? channelDefault<YouTubePrivacy>(channels[0]!, 'privacy') : undefined;
  const fallback = channels.length === 1 ? `The channel’s default: ${YOUTUBE_PRIVACY_WORDS[own ?? 'public'].replace(/ \(.*/, '')}` : 'Each channel’s default';
  return (
    <>
      <TextField
        label="Video title"
        value={youtube.title}
        placeholder={firstLine || 'The text’s first line'}
        onChange={(event) => set({ title: event.target.value })}
        hint={`${Array.from(youtube.title).length}/${max} characters. Left empty, the title is the text’s first line.`}
        errors={errors('youtube', 'title')}
      />
      <SelectField label="Privacy" value={youtube.privacy} onChange={(event) => set({ privacy: event.target.value as YouTubePrivacy | '' })} errors={errors('youtube', 'privacy')}>
        <option value="">{fallback}</option>
        {YOUTUBE_PRIVACIES.map((privacy) => (
          <option key={privacy} value={privacy}>
            {YOUTUBE_PRIVACY_WORDS[privacy]}
          </option>
        ))}
      </SelectField>
      <TextField label="Tags" value={youtube.tags} placeholder="studio, behind the scenes" onChange={(event) => set({ tags: event.target.value })} hint="Separated by commas. Left empty, the text’s hashtags are the tags." errors={errors('youtube', 'tags')} />
    </>
  );
}

function PinterestFields({ channels, choice, onChange, errors }: FieldsProps) {
  const pinterest = choice.pinterest;
  const set = (next: Partial<typeof pinterest>) => onChange({ ...choice, pinterest: { ...pinterest, ...next } });
  const only = channels.length === 1 ? channels[0]! : undefined;
  const boards = only ? boardsOf(only) : [];
  const fallback = only ? defaultBoardOf(only) : undefined;
  return (
    <>
      {only && boards.length > 0 ? (
        <SelectField
          label="Board"
          value={pinterest.boardId || fallback?.id || ''}
          // The channel's own board is its default: picking it again keeps the post following the channel.
          onChange={(event) => set({ boardId: event.target.value === fallback?.id ? '' : event.target.value })}
          hint={fallback ? `${channelName(only)} pins to ${fallback.name} unless you pick another.` : undefined}
          errors={errors('pinterest', 'boardId')}
        >
          {boards.map((board) => (
            <option key={board.id} value={board.id}>
              {board.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <p className="field-hint">{channels.length > 1 ? 'Each pin goes to its channel’s board (set on the channel’s settings).' : 'The pin goes to the channel’s board.'}</p>
      )}
      <TextField label="Pin title" value={pinterest.title} onChange={(event) => set({ title: event.target.value })} hint={`${Array.from(pinterest.title).length}/${maxLengthOf('pinterest', 'title') ?? 100} characters. Optional.`} errors={errors('pinterest', 'title')} />
      <TextField label="Link" type="url" inputMode="url" value={pinterest.link} placeholder="https://" onChange={(event) => set({ link: event.target.value })} hint="Where the pin leads. Left empty, the text’s first link." errors={errors('pinterest', 'link')} />
    </>
  );
}
