import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishedPost } from '@herald/channels';
import { ClaimedRow, DeliveriesRepository, MediaValue, SYSTEM, StepKey, TokenCipher, WaitingFor, toStorableText, toStorableTextOrNull } from '@herald/db';
import { Batcher } from './batcher';
import { AttemptRecord, DeliveryChange, Outcome, OutcomeRecorder } from './outcome-recorder';

/** What a worker needs to publish one delivery, read at claim time from Postgres. */
export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  postId: string;
  channelId: string;
  attemptCount: number;
  scheduledAt: Date | null;
  claimedAt: Date;
  /**
   * This claim's fencing token, from Postgres: every write this worker makes
   * to the delivery carries it, and changes nothing (but a publication) once
   * another worker has taken the claim over.
   */
  claimToken: string;
  network: string;
  handle: string;
  /** Decrypted, for the call only; renewed in place when it lapses. */
  accessToken: string;
  accountId: string | null;
  host: string | null;
  tokenExpiresAt: Date | null;
  /** What connecting found (a Mastodon instance's limits, its visibility), not secret. */
  details: Record<string, unknown>;
  postDefaults: Record<string, unknown>;
  /** How late it may still go out (seconds past its time); null: however late. */
  staleAfterSeconds: number | null;
  /** What the previous try ended with. */
  lastErrorCode: string | null;
  /** Why it waited last, if it did. */
  waitingFor: WaitingFor | null;
  /** Set once this publish renewed the channel's token. */
  tokenRenewed?: boolean;
  text: string;
  media: MediaValue[];
  /** What the post tells only this network, over the channel's defaults (`networkOptions.<network>`; `{}`: nothing). */
  networkOptions: Record<string, unknown>;
  requestId: string | null;
  /** Files earlier tries uploaded: the network's id by media key (see PublishMedia). */
  networkMedia: Record<string, { id: string; expiresAt?: string }>;
  /** The network's handle on the post kept by an earlier try (a Bluesky record key, a container id). */
  networkRef: string | null;
  /**
   * When this worker's claim ends by its own clock (epoch ms): measured from
   * before the claiming statement was sent, so never later than Postgres's
   * `lease_expires_at`. No call to the network may outlive it.
   */
  leaseEndsAt: number;
  /**
   * A thread's parts and its first comment, in the order they go out, each
   * with what Postgres holds of it; empty for a post of one part and no
   * comment (the delivery is its one step, as before threads).
   */
  steps: PublishStep[];
}

/** One unit of publishing of a delivery of several: a part of a thread, or the first comment. */
export interface PublishStep extends StepKey {
  text: string;
  media: MediaValue[];
  status: 'pending' | 'published' | 'failed';
  /** The network's handle kept before its call (a Bluesky record key, a Threads container). */
  networkRef: string | null;
  externalId: string | null;
  externalUrl: string | null;
  /** What a reply to it names beyond its id (Bluesky's strong ref). */
  threadRef: string | null;
}

/** The step a claim publishes now: the first that is not on the network; undefined when every one is (or there are none). */
export function currentStep(delivery: ClaimedDelivery): PublishStep | undefined {
  return delivery.steps.find((step) => step.status !== 'published');
}

/** How a step is named to people: "part 2 of 3" (counted from 1), or "the first comment". */
export function stepLabel(delivery: ClaimedDelivery, step: StepKey): string {
  const parts = delivery.steps.filter((candidate) => candidate.kind === 'part').length;
  return step.kind === 'comment' ? 'the first comment' : `part ${step.index + 1} of ${parts}`;
}

/** Why a delivery could not be claimed. */
export type ClaimRefusal =
  | { kind: 'gone' }
  | { kind: 'finished'; status: string }
  | { kind: 'not_due'; dueAt: Date }
  | { kind: 'channel_inactive'; channelStatus: string }
  | { kind: 'held'; leaseExpiresAt: Date }
  /** Its claim ended with a call whose outcome is unknown; the network gets until `lookupAt` to finish acting on it. */
  | { kind: 'settling'; lookupAt: Date }
  | { kind: 'interrupted' };

export type { AttemptRecord } from './outcome-recorder';

/**
 * The delivery's state transitions, each one statement or one transaction in
 * Postgres. A claim is a conditional UPDATE: the row lock it takes makes two
 * workers racing for one delivery see it claimed exactly once.
 */
@Injectable()
export class DeliveryClaims {
  private readonly settleMs: number;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly cipher: TokenCipher,
    private readonly outcomes: OutcomeRecorder,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    this.settleMs = config.lookupSettleMs;
  }

  private readonly claims = new Batcher<{ deliveryId: string; leaseMs: number }, ClaimedDelivery | ClaimRefusal>((requests) => this.claimMany(requests), 200);

  /**
   * scheduled → publishing, when due and its channel is active. The row lock
   * of the claiming UPDATE makes two workers racing for one delivery see it
   * claimed exactly once. Claims that arrive together are made together (see
   * Batcher). No post lock: claims of one post's deliveries must not queue
   * behind each other (the post's status follows the outcomes, recorded
   * under its lock).
   */
  claim(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | ClaimRefusal> {
    return this.claims.submit({ deliveryId, leaseMs });
  }

  /**
   * Several claims in one statement. It locks its candidates in id order and
   * skips any another transaction holds, so it never waits while holding
   * locks (no deadlock with writers that lock deliveries in another order);
   * those it skipped, or could not claim, go through `claimOne`, which holds
   * one lock at a time and says why a delivery was not claimed. A delivery
   * asked for twice in one batch is claimed by the first request only.
   */
  private async claimMany(requests: { deliveryId: string; leaseMs: number }[]): Promise<(ClaimedDelivery | ClaimRefusal)[]> {
    const leaseMs = requests[0]!.leaseMs;
    if (requests.length === 1 || requests.some((request) => request.leaseMs !== leaseMs)) {
      return Promise.all(requests.map((request) => this.claimOne(request.deliveryId, request.leaseMs)));
    }
    const sentAt = Date.now();
    const rows = await this.deliveries.claimMany(
      SYSTEM,
      requests.map((request) => request.deliveryId),
      leaseMs,
    );
    const claimed = new Map(rows.map((row) => [row.id, row]));
    return Promise.all(
      requests.map((request) => {
        const id = request.deliveryId.toLowerCase();
        const row = claimed.get(id);
        // One claim, one holder: a second job of the same delivery in the batch (after a Redis failover, a stalled job
        // and its recovery's) is told why not, as if it had come after, never handed the same claim.
        claimed.delete(id);
        return row ? this.toClaimed(row, sentAt + leaseMs) : this.claimOne(request.deliveryId, request.leaseMs);
      }),
    );
  }

  private async claimOne(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | ClaimRefusal> {
    const sentAt = Date.now();
    const row = await this.deliveries.claimOne(SYSTEM, deliveryId, leaseMs);
    return row ? this.toClaimed(row, sentAt + leaseMs) : this.whyNot(deliveryId);
  }

  /**
   * Takes over a claim whose lease ended (its worker died mid-publish, or it
   * ended with a call of unknown outcome) once the network has had `settleMs`
   * more to finish acting on any call of it; does not count an attempt.
   */
  async reclaim(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const sentAt = Date.now();
    const row = await this.deliveries.reclaim(SYSTEM, deliveryId, leaseMs, this.settleMs);
    return row ? this.toClaimed(row, sentAt + leaseMs) : undefined;
  }

  /** A fresh lease for a claim this worker still holds; false when it no longer does (it must not call the network). */
  async renew(delivery: ClaimedDelivery, leaseMs: number): Promise<boolean> {
    const sentAt = Date.now();
    if (!(await this.deliveries.renew(SYSTEM, delivery.id, delivery.claimToken, leaseMs))) return false;
    delivery.leaseEndsAt = sentAt + leaseMs;
    return true;
  }

  /**
   * This worker failed with an error of its own while it held the claim
   * (Postgres or Redis unreachable, a bug): the lease ends now, so the
   * reconciler recovers the delivery once the network has settled (a lookup
   * first where a call may have gone out), rather than when the lease runs
   * out a minute later. Never throws: the error that led here is the one told.
   */
  async endLease(delivery: ClaimedDelivery): Promise<boolean> {
    return this.deliveries.endLease(SYSTEM, delivery.id, delivery.claimToken).catch(() => false);
  }

  /** Commits the network's handle on the post before the call that publishes it. */
  async keepRef(delivery: ClaimedDelivery, ref: string): Promise<void> {
    if (!(await this.deliveries.keepRef(SYSTEM, delivery.id, delivery.claimToken, ref))) throw new Error(`Delivery ${delivery.id} is no longer claimed; its reference was not kept`);
    delivery.networkRef = ref;
  }

  /** What other deliveries of the delivery's channel were recorded as on the network since `since`. */
  async externalIdsSince(delivery: ClaimedDelivery, since: Date): Promise<Set<string>> {
    const ids = new Set(await this.deliveries.externalIdsSince(SYSTEM, delivery.channelId, delivery.id, since));
    // A step is never taken for another step of the same delivery (two parts may say the same).
    for (const step of delivery.steps) if (step.externalId) ids.add(step.externalId);
    return ids;
  }

  /** Commits the network's handle on one step before the call that publishes it. */
  async keepStepRef(delivery: ClaimedDelivery, step: PublishStep, ref: string): Promise<void> {
    if (!(await this.deliveries.keepPartRef(SYSTEM, delivery.id, delivery.claimToken, step, ref))) {
      throw new Error(`Delivery ${delivery.id} is no longer claimed; the reference of its ${stepLabel(delivery, step)} was not kept`);
    }
    step.networkRef = ref;
  }

  /**
   * One step is on the network: committed before the next is sent, so a
   * worker that dies after it resumes at the next and replies to this one.
   * Recorded whoever's claim it is (the post is out); false when the
   * delivery is no longer `publishing`.
   */
  async stepPublished(delivery: ClaimedDelivery, step: PublishStep, post: PublishedPost): Promise<boolean> {
    const external = { externalId: toStorableTextOrNull(post.externalId), externalUrl: toStorableText(post.externalUrl), threadRef: post.threadRef ?? null };
    if (!(await this.deliveries.partPublished(SYSTEM, delivery.id, step, external))) return false;
    Object.assign(step, { status: 'published', externalId: external.externalId, externalUrl: external.externalUrl, threadRef: external.threadRef });
    return true;
  }

  async countAttempt(deliveryId: string): Promise<number> {
    return this.deliveries.countAttempt(SYSTEM, deliveryId);
  }

  async markPublished(delivery: ClaimedDelivery, attempt: AttemptRecord, external: { externalId: string | null; externalUrl: string }) {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'published', ...external }));
  }

  /** Back to scheduled for another try at `dueAt`; `refundAttempt` when the try did not count (429). */
  async markRetry(delivery: ClaimedDelivery, attempt: AttemptRecord, dueAt: Date, refundAttempt: boolean, waitingFor?: WaitingFor) {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'retry', dueAt, refundAttempt, waitingFor }));
  }

  /**
   * Gives the claim back without calling the network (its host is down, its
   * budget spent): scheduled again for `dueAt`, no attempt spent or recorded,
   * and why it waits. False when the claim was no longer this worker's.
   */
  async release(delivery: ClaimedDelivery, dueAt: Date, waitingFor: WaitingFor): Promise<boolean> {
    return this.deliveries.release(SYSTEM, delivery.id, delivery.claimToken, dueAt, waitingFor);
  }

  /** `error`: the delivery's last error when it is not the attempt's own (a summary of why it gave up). */
  async markFailed(delivery: ClaimedDelivery, attempt: AttemptRecord, options: { disconnectChannel?: boolean; error?: { code: string; message: string } } = {}) {
    let error = options.error ?? { code: attempt.errorCode ?? 'failed', message: attempt.errorMessage ?? null };
    // A step of several: recorded as the one that failed, and named in the delivery's error (what is out stays listed, with its links).
    const step = currentStep(delivery);
    if (step) {
      const message = `${stepLabel(delivery, step)}: ${error.message ?? error.code}`;
      await this.deliveries.partFailed(SYSTEM, delivery.id, delivery.claimToken, step, { code: error.code.slice(0, 64), message: toStorableText(message.slice(0, 2000)) });
      error = { code: error.code, message };
      options = { ...options, error: { code: error.code, message } };
    }
    const part = step ? { index: step.index, kind: step.kind } : undefined;
    const events: Outcome['events'] = [
      ['delivery.failed', { deliveryId: delivery.id, postId: delivery.postId, channelId: delivery.channelId, network: delivery.network, error, ...(part ? { part } : {}) }],
    ];
    if (options.disconnectChannel) {
      events.push(['channel.disconnected', { channelId: delivery.channelId, network: delivery.network, handle: delivery.handle, reason: attempt.errorMessage ?? null }]);
    }
    await this.outcomes.record({ ...outcomeOf(delivery, attempt, { kind: 'failed', disconnectChannel: options.disconnectChannel ?? false, error: options.error }, events), ...(part ? { failedPart: part } : {}) });
  }

  /** Not published, and never will be: it is later than its channel lets a post go out. No call was made. */
  async markMissed(delivery: ClaimedDelivery, latenessMs: number): Promise<void> {
    const now = new Date();
    const message = `Due ${Math.round(latenessMs / 1000)} s ago, past the channel's staleAfterSeconds (${delivery.staleAfterSeconds} s): not published`;
    await this.outcomes.record(outcomeOf(delivery, { startedAt: now, finishedAt: now, outcome: 'missed', errorCode: 'stale', errorMessage: message }, { kind: 'missed' }));
  }

  /** Records a call that changed nothing (a lookup that found no post), keeping the claim. */
  async noteAttempt(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<void> {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'unchanged' }));
  }

  /**
   * Ends the claim after a call whose outcome is unknown: the delivery stays
   * `publishing` with its lease ended now, so it is looked up (by whichever
   * worker) only once the network has had the settle time to finish acting
   * on the call. Answers when that is, by this worker's clock.
   */
  async awaitLookup(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<Date> {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'settle' }));
    return new Date(Date.now() + this.settleMs);
  }

  /** The token is decrypted here, in memory, only for the call to the network. */
  private toClaimed(row: ClaimedRow, leaseEndsAt: number): ClaimedDelivery {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      postId: row.postId,
      channelId: row.channelId,
      attemptCount: row.attemptCount,
      scheduledAt: row.scheduledAt,
      claimedAt: row.claimedAt,
      claimToken: row.claimToken,
      network: row.network,
      handle: row.handle,
      accessToken: this.cipher.decrypt(row.accessToken),
      accountId: row.accountId,
      host: row.host,
      tokenExpiresAt: row.tokenExpiresAt,
      details: row.details,
      postDefaults: row.postDefaults,
      staleAfterSeconds: row.staleAfterSeconds,
      lastErrorCode: row.lastErrorCode,
      waitingFor: row.waitingFor,
      text: row.variants[row.channelId] ?? row.text,
      media: row.media,
      networkOptions: row.networkOptions,
      requestId: row.requestId,
      networkRef: row.networkRef,
      networkMedia: row.networkMedia,
      leaseEndsAt,
      steps: stepsOf(row),
    };
  }

  private async whyNot(deliveryId: string): Promise<ClaimRefusal> {
    const row = await this.deliveries.obstacle(SYSTEM, deliveryId);
    if (!row) return { kind: 'gone' };
    if (row.status === 'publishing') {
      const leaseEnd = row.leaseExpiresAt?.getTime() ?? 0;
      const now = row.dbNow.getTime();
      if (leaseEnd > now) return { kind: 'held', leaseExpiresAt: row.leaseExpiresAt! };
      // Postgres's clock decides; the wait is handed to this worker as a duration.
      if (leaseEnd + this.settleMs > now) return { kind: 'settling', lookupAt: new Date(Date.now() + leaseEnd + this.settleMs - now) };
      return { kind: 'interrupted' };
    }
    if (row.status !== 'scheduled') return { kind: 'finished', status: row.status };
    if (row.channelStatus !== 'active' || row.channelDeletedAt) return { kind: 'channel_inactive', channelStatus: row.channelDeletedAt ? 'removed' : row.channelStatus };
    return { kind: 'not_due', dueAt: row.dueAt ?? new Date() };
  }
}

export function isClaimed(result: ClaimedDelivery | ClaimRefusal): result is ClaimedDelivery {
  return 'id' in result;
}

function outcomeOf(delivery: ClaimedDelivery, attempt: AttemptRecord, change: DeliveryChange, events: Outcome['events'] = []): Outcome {
  return { deliveryId: delivery.id, claimToken: delivery.claimToken, postId: delivery.postId, channelId: delivery.channelId, workspaceId: delivery.workspaceId, attempt, change, events };
}

/**
 * A delivery's steps: each part of its thread (the channel's variant
 * replacing the first part's text), then its first comment, each with what
 * `delivery_parts` holds of it. None for a post of one part and no comment.
 */
function stepsOf(row: ClaimedRow): PublishStep[] {
  if (!row.parts && !row.firstComment) return [];
  const parts = row.parts ?? [{ text: row.text, media: row.media }];
  const held = new Map(row.steps.map((step) => [step.idx, step]));
  const pieces: { kind: 'part' | 'comment'; text: string; media: MediaValue[] }[] = parts.map((part, index) => ({
    kind: 'part' as const,
    text: index === 0 ? (row.variants[row.channelId] ?? part.text) : (part.variants?.[row.channelId] ?? part.text),
    media: part.media ?? [],
  }));
  if (row.firstComment) pieces.push({ kind: 'comment', text: row.firstComment.text, media: [] });
  return pieces.map((piece, index) => {
    const kept = held.get(index);
    return {
      index,
      kind: piece.kind,
      text: piece.text,
      media: piece.media,
      status: kept?.status ?? 'pending',
      networkRef: kept?.network_ref ?? null,
      externalId: kept?.external_id ?? null,
      externalUrl: kept?.external_url ?? null,
      threadRef: kept?.thread_ref ?? null,
    };
  });
}
