import { Channel } from '@herald/db';

const SIZE = 10_000;

/**
 * What this process has read of channels that never changes: a channel's
 * workspace, network and what connecting found (a Mastodon instance's limits). Creating a post at a fixed time checks its content
 * against these without reading the channels first; the insert itself then
 * checks, in the same statement, that every channel is still live (not
 * removed, not disconnected), and anything the shortcut would refuse is
 * decided again on a fresh read. So nothing here can let a post through that
 * a read would refuse, or refuse one a read would let through.
 */
export class KnownChannels {
  private readonly known = new Map<string, { workspaceId: string; network: string; details: Record<string, unknown> }>();

  /** The channels among `ids` as live ones of `workspaceId`, or undefined unless every one is known. */
  lookup(workspaceId: string, ids: string[]): Map<string, Channel> | undefined {
    const channels = new Map<string, Channel>();
    for (const raw of ids) {
      const id = raw.toLowerCase();
      const fact = this.known.get(id);
      if (!fact || fact.workspaceId !== workspaceId) return undefined;
      channels.set(id, Object.assign(new Channel(), { id, workspaceId, network: fact.network, details: fact.details, status: 'active' }));
    }
    return channels;
  }

  /** Remembers the live ones among channels just read from Postgres. */
  learn(channels: Iterable<Channel>): void {
    for (const channel of channels) {
      if (channel.status === 'disconnected') continue;
      this.known.delete(channel.id);
      this.known.set(channel.id, { workspaceId: channel.workspaceId, network: channel.network, details: channel.details ?? {} });
      if (this.known.size > SIZE) this.known.delete(this.known.keys().next().value!);
    }
  }

  /** Forgets channels a write found gone or disconnected, so the next post to them is checked on a read. */
  forget(ids: string[]): void {
    for (const id of ids) this.known.delete(id.toLowerCase());
  }
}
