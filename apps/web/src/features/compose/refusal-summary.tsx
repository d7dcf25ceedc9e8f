/** Above a post's form, once it was sent: each channel whose rules refuse the post, and why (the rules' own words). */
import { forwardRef } from 'react';
import type { ChannelView } from '../../api/views';
import { channelName } from '../channels/api';
import type { ChannelCheck } from './checks';

interface Props {
  title: string;
  refusing: Pick<ChannelView, 'id' | 'network' | 'handle' | 'host'>[];
  checks: Map<string, ChannelCheck>;
  /** Each channel's reasons, when they are more than its one check's (a thread's parts, its first comment). */
  reasons?: (channelId: string) => string[];
}

export const RefusalSummary = forwardRef<HTMLDivElement, Props>(function RefusalSummary({ title, refusing, checks, reasons }, ref) {
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{title}</p>
      <ul>
        {refusing.map((channel) => (
          <li key={channel.id}>
            {channelName(channel)}: {(reasons ? reasons(channel.id) : checks.get(channel.id)!.violations.map((violation) => violation.message)).join('; ')}
          </li>
        ))}
      </ul>
    </div>
  );
});
