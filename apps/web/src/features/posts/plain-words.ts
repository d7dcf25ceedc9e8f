/**
 * What happened to a delivery, in words a person acts on: each attempt's
 * outcome, the error codes Herald records, and why a post waits. The network's
 * own message is shown beside these words, never replaced by them.
 */
import type { AttemptView, DeliveryView, WaitingFor } from '../../api/views';

const OUTCOMES: Record<string, string> = {
  published: 'Published',
  transient: 'The network did not answer properly; Herald tries again',
  rate_limited: 'The network asked Herald to slow down; it waits and tries again (this costs no attempt)',
  rejected: 'The network refused the post',
  auth_revoked: 'The network no longer accepts this channel’s access: connect it again',
  auth_expired: 'The channel’s access had expired; Herald renewed it and tried again',
  lookup_found: 'Herald checked the network and found the post already published',
  lookup_not_found: 'Herald checked the network: the post was not published yet, so it tries again',
  unconfirmed: 'Herald cannot tell whether the network published it, so it does not send it again',
  missed: 'Not published: its time had passed longer ago than the channel allows',
  deleted: 'Unpublished: taken down from the network',
  delete_failed: 'Herald could not take it down from the network',
};

const CODES: Record<string, string> = {
  unconfirmed: 'Herald lost its connection while the network was taking the post and cannot tell whether it was published. Check the channel, and post again if it is not there.',
  attempts_exhausted: 'The network kept failing for longer than Herald retries.',
  auth_revoked: 'The network no longer accepts this channel’s access. Connect the channel again, then retry.',
  channel_disconnected: 'The channel is disconnected. Connect it again; the post goes out then.',
  token_renewal_failed: 'Herald could not renew the channel’s access with the network.',
  duplicate_content: 'The network said it already has this exact post.',
  stale: 'Its time had passed longer ago than the channel allows, so it was not published late.',
  missed: 'Its time had passed longer ago than the channel allows, so it was not published late.',
  timeout: 'The network did not answer in time.',
  connection_refused: 'The network could not be reached.',
  connection_lost: 'The connection to the network was lost.',
  unreachable: 'The network could not be reached.',
  rate_limited: 'The network limits how often Herald may post.',
  media_rejected: 'The network refused an image or video of the post.',
  media_unsupported: 'The network does not take this kind of file.',
  media_too_large: 'A file is larger than the network takes.',
  media_required: 'The network needs an image or a video with the post.',
  aspect_ratio: 'An image’s shape is outside what the network takes.',
  media_processing: 'The network was still processing a file; Herald tries again.',
  network_unavailable: 'The network is failing for everyone right now; Herald waits for it to recover.',
};

export function outcomeWords(attempt: AttemptView): string {
  return OUTCOMES[attempt.outcome] ?? attempt.outcome.replace(/_/g, ' ');
}

export function errorWords(code: string): string | undefined {
  return CODES[code];
}

export function waitingWords(waiting: WaitingFor): string {
  switch (waiting.reason) {
    case 'network_unavailable':
      return `Waiting: ${waiting.host ?? 'the network'} is failing for everyone right now; Herald sends it when it recovers.`;
    case 'network_degraded':
      return `Waiting: ${waiting.host ?? 'the network'} is failing some of its calls right now; Herald tries again in a few seconds.`;
    case 'rate_limited':
      return 'Waiting: the network asked Herald to slow down.';
    case 'channel_disconnected':
      return 'Waiting: the channel is disconnected. Connect it again and this post goes out.';
  }
}

/** Whether a delivery is out on its network and may be unpublished (not already being taken down). */
export function unpublishable(delivery: DeliveryView): boolean {
  return delivery.status === 'published' && delivery.unpublish?.status !== 'pending';
}

/** Whether a delivery is one a person would retry: failed or missed, not already on its way. */
export function retryable(delivery: DeliveryView): boolean {
  return delivery.status === 'failed' || delivery.status === 'missed';
}
