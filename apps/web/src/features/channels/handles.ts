/**
 * A channel's handle as its network writes it. The API gives each network's
 * own form: "@name@instance" on Mastodon, "name.bsky.social" on Bluesky, the
 * person's or Page's name on LinkedIn and Facebook, and a bare username on X,
 * Threads and Instagram, which people write with an "@". Pure.
 */
const AT_USERNAMES = new Set(['x', 'threads', 'instagram']);

export function shownHandle(channel: { network: string; handle: string }): string {
  if (!AT_USERNAMES.has(channel.network) || channel.handle.startsWith('@')) return channel.handle;
  return `@${channel.handle}`;
}
