/**
 * What approvals decide, without I/O: what an edit does to a post's
 * unclaimed deliveries (kept, re-timed, or submitted for approval), and
 * where an approved delivery goes (its asked time, a slot of its channel's
 * queue, or now), with the notice that says so when that is not what was
 * asked.
 */
import type { DeliveryStatusValue, ScheduleModeValue } from '@herald/db';

/**
 * What an edit does to a post's unclaimed deliveries:
 * - `content`: nothing (the text, media or variants only);
 * - `retime`: each takes the new schedule (scheduled, or a draft);
 * - `submit`: each waits for approval, with the schedule asked (the new one,
 *   or, for a scheduled one, its own); a draft without a new schedule stays
 *   a draft.
 * An edit whose writer needs approval submits whatever it schedules, and
 * an edit of a post that awaits approval keeps it awaiting (only an
 * approval or a rejection decides it); `draft` withdraws it.
 */
export type EditPlan = 'content' | 'retime' | 'submit';

export function planEdit(mode: ScheduleModeValue | undefined, writerAwaitsApproval: boolean, statuses: DeliveryStatusValue[]): EditPlan {
  if (mode === 'draft') return 'retime';
  const pending = statuses.includes('pending_approval');
  if ((writerAwaitsApproval || pending) && (mode !== undefined || statuses.includes('scheduled'))) return 'submit';
  return mode === undefined ? 'content' : 'retime';
}

/**
 * Where an approved delivery goes:
 * - `as_asked`: its `at`, still to come;
 * - `next_free_slot`: mode `queue`, or an `at` that has passed, or `now`
 *   (its moment was the submission, which has passed too): the next free
 *   slot of its channel's queue;
 * - `front_of_queue`: mode `next`;
 * - `now`: an `at` that has passed, or `now`, on a channel with no posting
 *   schedule (no slot to give it): published at once.
 */
export type ApprovalMove = 'as_asked' | 'next_free_slot' | 'front_of_queue' | 'now';

export function approvalMove(mode: ScheduleModeValue, askedAt: Date | null, channelHasSlots: boolean, now: Date): ApprovalMove {
  if (mode === 'queue') return 'next_free_slot';
  if (mode === 'next') return 'front_of_queue';
  if (mode === 'at' && askedAt && askedAt.getTime() > now.getTime()) return 'as_asked';
  return channelHasSlots ? 'next_free_slot' : 'now';
}

/** The mode an approved delivery is scheduled with: a delivery given a slot joins its channel's queue. */
export function modeAfter(move: ApprovalMove): ScheduleModeValue {
  return { as_asked: 'at', next_free_slot: 'queue', front_of_queue: 'next', now: 'now' }[move] as ScheduleModeValue;
}

export interface ApprovedDelivery {
  channel: { network: string; handle: string };
  askedMode: ScheduleModeValue;
  askedAt: Date | null;
  move: ApprovalMove;
  at: Date;
}

/**
 * What the approval did that was not what was asked, in words (null when
 * everything went as asked): e.g. "The asked time 2026-12-01T09:00:00.000Z
 * has passed: scheduled at the next free slot of x acme, 2026-12-02T09:00:00.000Z."
 */
export function approvalNotice(deliveries: ApprovedDelivery[]): string | null {
  const where = (delivery: ApprovedDelivery) =>
    delivery.move === 'now'
      ? `published now on ${delivery.channel.network} ${delivery.channel.handle} (it has no posting schedule)`
      : `scheduled at the next free slot of ${delivery.channel.network} ${delivery.channel.handle}, ${delivery.at.toISOString()}`;
  const passed = deliveries.filter((delivery) => delivery.askedMode === 'at' && delivery.move !== 'as_asked');
  const atOnce = deliveries.filter((delivery) => delivery.askedMode === 'now' && delivery.move !== 'now');
  const sentences: string[] = [];
  for (const askedAt of new Set(passed.map((delivery) => delivery.askedAt?.toISOString() ?? 'asked'))) {
    const these = passed.filter((delivery) => (delivery.askedAt?.toISOString() ?? 'asked') === askedAt);
    sentences.push(`The asked time ${askedAt} has passed: ${these.map(where).join('; ')}.`);
  }
  if (atOnce.length > 0) sentences.push(`It was asked to publish at once, when it was submitted: ${atOnce.map(where).join('; ')}.`);
  return sentences.length > 0 ? sentences.join(' ') : null;
}
