/**
 * What waits for the signed-in person, from the API's own lists: posts
 * waiting for their approval (when they approve), posts that failed, and
 * channels that lost their access. Pure, so its rules have a unit spec.
 */
export interface WaitingPost {
  id: string;
  text: string;
  status: string;
}

export interface WaitingChannel {
  id: string;
  status: string;
  name: string;
}

export type WaitingItem =
  | { kind: 'approval'; id: string; words: string; postId: string }
  | { kind: 'failed'; id: string; words: string; postId: string }
  | { kind: 'disconnected'; id: string; words: string; channelId: string };

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '(no text)';
  return flat.length > 60 ? `“${flat.slice(0, 60)}…”` : `“${flat}”`;
}

export function waitingFor(input: { canApprove: boolean; pending: WaitingPost[]; failed: WaitingPost[]; channels: WaitingChannel[] }): WaitingItem[] {
  const items: WaitingItem[] = [];
  for (const channel of input.channels.filter((entry) => entry.status === 'disconnected')) {
    items.push({ kind: 'disconnected', id: `channel:${channel.id}`, channelId: channel.id, words: `${channel.name} is disconnected: reconnect it so its posts go out.` });
  }
  if (input.canApprove) {
    for (const post of input.pending) items.push({ kind: 'approval', id: `approval:${post.id}`, postId: post.id, words: `${excerpt(post.text)} waits for your approval.` });
  }
  for (const post of input.failed) items.push({ kind: 'failed', id: `failed:${post.id}`, postId: post.id, words: `${excerpt(post.text)} failed to publish.` });
  return items;
}
