/** A channel's live count: its text as its network counts it against its limit, and what would be refused there. */
import type { ChannelView } from '../../api/views';
import { channelName } from '../channels/api';
import type { ChannelCheck } from './checks';

export function Counter({ channel, check }: { channel: ChannelView; check: ChannelCheck }) {
  const over = check.length - check.limit;
  const refused = check.violations.length > 0;
  const name = channelName(channel);
  return (
    <li className={`counter ${refused ? 'refused' : over > -20 ? 'near' : ''}`} data-channel-id={channel.id} data-network={channel.network}>
      <span className="counter-name">{name}</span>{' '}
      <span className="counter-count" aria-label={`${name}: ${check.length} of ${check.limit}`}>
        {check.length}/{check.limit}
      </span>
      {check.bytes !== undefined && check.maxBytes !== undefined && check.bytes > check.maxBytes ? (
        <span className="muted">
          {' '}
          ({check.bytes}/{check.maxBytes} bytes)
        </span>
      ) : null}
      {refused ? (
        <ul className="counter-violations">
          {check.violations.map((violation) => (
            <li key={violation.code + violation.message}>{violation.message}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
