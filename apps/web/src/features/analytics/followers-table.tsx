/**
 * Each channel's followers (read once a day: docs/analytics.md#account-figures)
 * at its latest reading, with their change over the range; following and
 * posts where the network gives them (a dash where it does not).
 */
import type { AccountChannel } from './api';

const count = (value: number | null) => (value === null ? '—' : value.toLocaleString());

/** "+50", "−3", "0", or a dash when either end has no figure. */
export function changeText(change: number | null): string {
  if (change === null) return '—';
  if (change > 0) return `+${change.toLocaleString()}`;
  if (change < 0) return `−${Math.abs(change).toLocaleString()}`;
  return '0';
}

export function FollowersTable({ channels, nameOf }: { channels: AccountChannel[]; nameOf: (channel: AccountChannel) => string }) {
  if (channels.length === 0) return <p className="muted">No follower counts read in this range yet: they are read once a day per channel.</p>;
  return (
    <div className="table-scroll">
      <table className="analytics-followers">
        <caption className="muted">Followers at the latest daily reading, and the change since the first reading in the range.</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Followers</th>
            <th scope="col">Change</th>
            <th scope="col">Following</th>
            <th scope="col">Posts</th>
            <th scope="col">Read</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => (
            <tr key={channel.channelId}>
              <th scope="row">{nameOf(channel)}</th>
              <td>{count(channel.latest.followers)}</td>
              <td data-change={channel.followersChange === null ? undefined : Math.sign(channel.followersChange)}>{changeText(channel.followersChange)}</td>
              <td>{count(channel.latest.following)}</td>
              <td>{count(channel.latest.posts)}</td>
              <td>
                <time dateTime={channel.latest.takenAt}>{new Date(channel.latest.takenAt).toLocaleDateString()}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
