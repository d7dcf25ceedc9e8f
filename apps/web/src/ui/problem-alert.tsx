/** The API's problem, said in full where no field shows it: its title in words, its detail, and the messages of fields not on the form; never an id. */
import { useQueryClient } from '@tanstack/react-query';
import { forwardRef } from 'react';
import type { Problem } from '../api/problem';
import { inWords } from '../api/problem-words';
import { shownHandle } from '../features/channels/handles';
import { networkName } from './network-name';

interface Props {
  problem: Problem | undefined;
  /** Paths the form shows next to their fields: left out here. */
  shownAt?: string[];
}

/** A field path as words: "schedule.mode" → "When", "variants.<id>" → "the text for a channel". */
function fieldWords(path: string): string {
  const head = path.split(/[.[]/)[0] ?? path;
  const words: Record<string, string> = { text: 'Text', schedule: 'When', channelIds: 'Channels', media: 'Files', variants: 'Text for a channel', email: 'Email', password: 'Password', timezone: 'Time zone', postingSchedule: 'Posting times', note: 'Note', url: 'Address', name: 'Name', role: 'Role', parts: 'Thread', firstComment: 'First comment' };
  return words[head] ?? head;
}

/** Channel names the app has read, for messages that name a channel by id. */
function useKnownNames(): Map<string, string> {
  const queryClient = useQueryClient();
  const channels = queryClient.getQueryData<{ id: string; network: string; handle: string }[]>(['channels']) ?? [];
  return new Map(channels.map((channel) => [channel.id, `${networkName(channel.network)} ${shownHandle(channel)}`]));
}

export const ProblemAlert = forwardRef<HTMLDivElement, Props>(function ProblemAlert({ problem: raw, shownAt = [] }, ref) {
  const names = useKnownNames();
  if (!raw) return null;
  const problem = inWords(raw, names);
  const shown = (path: string | undefined) => path !== undefined && shownAt.some((field) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`));
  const rest = (problem.errors ?? []).filter((error) => !shown(error.path));
  const allShown = (problem.errors?.length ?? 0) > 0 && rest.length === 0;
  return (
    <div className="alert alert-error" role="alert" ref={ref} tabIndex={-1}>
      <p className="alert-title">{problem.title}</p>
      {allShown ? <p>See the messages next to the fields below.</p> : rest.length === 0 ? <p>{problem.detail}</p> : null}
      {rest.length > 0 ? (
        <ul>
          {rest.map((error, index) => (
            <li key={index}>
              {error.path ? `${fieldWords(error.path)}: ` : ''}
              {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});
