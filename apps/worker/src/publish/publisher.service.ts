import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { CallContext, ChannelAdapter, ChannelAdapterRegistry, MediaItem, Network, NetworkError, PublishedPost, ReplyTarget } from '@herald/channels';
import { AttemptOutcome } from '@herald/db';
import { HostHealth } from '@herald/queue';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { ChannelTokens, Renewal } from '../tokens/channel-tokens.service';
import { AttemptRecord, ClaimedDelivery, DeliveryClaims, PublishStep, currentStep, isClaimed, stepLabel } from './delivery-claims';
import { FailureReading, NextStep, PolicyEvent, nextStep } from './failure-policy';
import { HostGate, Passage } from './host-gate';
import { PublishMedia } from './publish-media';

/** What the queue should do with the job after a publish. */
export type PublishOutcome =
  | { kind: 'published'; externalId: string | null }
  | { kind: 'skipped'; reason: string }
  | { kind: 'later'; at: Date; reason: string }
  | { kind: 'failed'; code: string; message: string };

/** A call to the network ends this long before the claim's lease does, by this worker's clock. */
const LEASE_MARGIN_MS = 250;

/**
 * The publish path, as the guarantee reads: claim the delivery under a row
 * lock with a lease, call the network with the delivery id as idempotency
 * key (no call outliving the lease), record the attempt and the outcome. A
 * call whose outcome is unknown, or a claim whose worker died, is looked up
 * on the network (once it has had time to settle) before anything is sent
 * again.
 */
@Injectable()
export class PublisherService {
  private readonly logger = new Logger(PublisherService.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly claims: DeliveryClaims,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly metrics: WorkerMetrics,
    private readonly tokens: ChannelTokens,
    private readonly gate: HostGate,
    private readonly registry: ChannelAdapterRegistry,
    private readonly publishMedia: PublishMedia,
  ) {}

  async publish(deliveryId: string): Promise<PublishOutcome> {
    const claim = await this.claims.claim(deliveryId, this.config.claimLeaseMs);
    if (isClaimed(claim)) {
      try {
        return await this.publishClaimed(claim);
      } catch (error) {
        // Not the network's (those are outcomes): this worker's own. The claim is given up now, not at the lease's end.
        const ended = await this.claims.endLease(claim);
        this.logger.error({ msg: 'publish failed with an error of the worker; the claim is recovered once the network has settled', deliveryId: claim.id, leaseEnded: ended, error: String(error), stack: (error as Error)?.stack, requestId: claim.requestId });
        throw error;
      }
    }
    switch (claim.kind) {
      case 'not_due':
        return { kind: 'later', at: claim.dueAt, reason: 'not due yet' };
      case 'settling':
        return { kind: 'later', at: claim.lookupAt, reason: 'the outcome of a call is unknown; looking it up once the network has settled' };
      case 'interrupted':
        return this.recover(deliveryId);
      case 'held':
        return { kind: 'skipped', reason: 'claimed by another worker' };
      case 'channel_inactive':
        return { kind: 'skipped', reason: `channel is ${claim.channelStatus}; the delivery waits` };
      case 'finished':
        return { kind: 'skipped', reason: `already ${claim.status}` };
      case 'gone':
        return { kind: 'skipped', reason: 'delivery no longer exists' };
    }
  }

  /** A claim made: missed, turned away at the gate, or sent. */
  private async publishClaimed(claim: ClaimedDelivery): Promise<PublishOutcome> {
    const lateness = claim.scheduledAt ? Date.now() - claim.scheduledAt.getTime() : 0;
    if (this.decide(claim, { kind: 'claimed', latenessMs: lateness, staleAfterSeconds: claim.staleAfterSeconds }).kind === 'missed') {
      await this.claims.markMissed(claim, lateness);
      this.logger.warn({ msg: 'missed: later than the channel lets a post go out', deliveryId: claim.id, latenessMs: lateness, staleAfterSeconds: claim.staleAfterSeconds, requestId: claim.requestId });
      this.metrics.publishes.inc({ network: claim.network, outcome: 'missed' });
      return { kind: 'failed', code: 'missed', message: `later than the channel's staleAfterSeconds (${claim.staleAfterSeconds} s)` };
    }
    const passage = await this.gate.pass(claim);
    if (!passage.go) return this.turnedAway(claim, passage);
    return this.counted(claim, await this.send(claim, passage));
  }

  /**
   * A claim whose lease ended without an outcome (its worker died mid-call,
   * or its call's outcome was unknown) and has settled. Where the network
   * honours the idempotency key, sending again is safe; elsewhere the post is
   * looked up first, and if the network cannot tell, the delivery fails as
   * `unconfirmed` rather than risk a duplicate.
   */
  async recover(deliveryId: string): Promise<PublishOutcome> {
    const delivery = await this.claims.reclaim(deliveryId, this.config.claimLeaseMs);
    if (!delivery) return { kind: 'skipped', reason: 'no longer interrupted' };
    this.logger.warn({ msg: 'recovering an interrupted publish', deliveryId, requestId: delivery.requestId });
    const adapter = this.adapter(delivery);
    const passage = await this.gate.pass(delivery);
    if (!passage.go) {
      // The host is down or the budget spent: look (or send) later, the claim kept ended so another may.
      const at = await this.claims.awaitLookup(delivery, { startedAt: new Date(), finishedAt: new Date(), outcome: 'transient', errorCode: passage.waitingFor.reason, errorMessage: waitMessage(passage) });
      return { kind: 'later', at: new Date(Math.max(at.getTime(), passage.until.getTime())), reason: waitMessage(passage) };
    }
    if (adapter.honoursIdempotencyKey) {
      delivery.attemptCount = await this.claims.countAttempt(delivery.id);
      return this.counted(delivery, await this.send(delivery, passage));
    }
    return this.counted(delivery, await this.lookUpThen(delivery, adapter, passage));
  }

  /** Turned away before any call: the claim is given back, nothing spent, with when to come again and why. */
  private async turnedAway(delivery: ClaimedDelivery, passage: Extract<Passage, { go: false }>): Promise<PublishOutcome> {
    const step = this.decide(delivery, { kind: 'turned_away', reason: passage.waitingFor.reason, until: passage.until.getTime() });
    if (step.kind !== 'release') return this.unavailableTooLong(delivery, passage);
    const until = new Date(step.at);
    if (!(await this.claims.release(delivery, until, { ...passage.waitingFor, until: until.toISOString() }))) return { kind: 'skipped', reason: 'no longer claimed' };
    return { kind: 'later', at: until, reason: waitMessage(passage) };
  }

  /** The host stayed down for the whole retry window: failed, without a call (the breaker is open). */
  private async unavailableTooLong(delivery: ClaimedDelivery, passage: Extract<Passage, { go: false }>): Promise<PublishOutcome> {
    const now = new Date();
    const message =
      `The network was unavailable for the whole retry window (${Math.round(this.config.publishRetryWindowMs / 60_000)} min after the scheduled time): ` +
      `${passage.waitingFor.host} has been down since ${passage.waitingFor.since ?? 'before this delivery was due'} and its circuit is still open`;
    await this.claims.markFailed(delivery, { startedAt: now, finishedAt: now, outcome: 'transient', errorCode: 'network_unavailable', errorMessage: message });
    this.logger.error({ msg: 'failed: network unavailable for the whole retry window', deliveryId: delivery.id, network: delivery.network, host: passage.waitingFor.host, requestId: delivery.requestId });
    return this.counted(delivery, { kind: 'failed', code: 'network_unavailable', message });
  }

  /** Final outcomes feed the metrics; "later" is not final. */
  private counted(delivery: ClaimedDelivery, outcome: PublishOutcome): PublishOutcome {
    if (outcome.kind === 'published') this.metrics.publishes.inc({ network: delivery.network, outcome: 'published' });
    if (outcome.kind === 'failed') this.metrics.publishes.inc({ network: delivery.network, outcome: outcome.code });
    return outcome;
  }

  /**
   * One publishing call. A token about to lapse is renewed first; a token
   * the network refuses as expired is renewed and the call made once more,
   * without spending an attempt (`renewed` says it was).
   */
  private async send(delivery: ClaimedDelivery, passage: Extract<Passage, { go: true }>, renewed = false): Promise<PublishOutcome> {
    if (!renewed && this.tokens.dueForRenewal(delivery.network, delivery.tokenExpiresAt)) {
      const waiting = await this.renewToken(delivery, 'ahead');
      if (waiting) return waiting;
    }
    const adapter = this.adapter(delivery);
    const startedAt = new Date();
    // A thread or a post with a first comment goes one step at a time, each its own call (see stepOut).
    const step = currentStep(delivery);
    if (delivery.steps.length > 0 && !step) return this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'published' }, rootOf(delivery));
    try {
      const media = await this.publishMedia.of(delivery, step);
      const replyTo = step ? replyTargetOf(delivery, step) : undefined;
      const post = await adapter.publish({
        ...this.callContext(delivery),
        onRateLimit: this.gate.budgetReader(delivery),
        content: { text: step ? step.text : delivery.text, media, ...optionsOf(delivery, step) },
        uploads: this.publishMedia.uploadsOf(delivery),
        idempotencyKey: stepKeyOf(delivery, step),
        ref: (step ? step.networkRef : delivery.networkRef) ?? undefined,
        defaults: delivery.postDefaults,
        keepRef: (ref) => (step ? this.claims.keepStepRef(delivery, step, ref) : this.claims.keepRef(delivery, ref)),
        ...(replyTo ? { replyTo } : {}),
      });
      this.metrics.attempts.inc({ network: delivery.network, error_class: 'none' });
      await this.gate.called(passage, delivery);
      const attempt: AttemptRecord = { startedAt, finishedAt: new Date(), outcome: 'published' };
      if (step) return await this.stepOut(delivery, step, attempt, post);
      return await this.published(delivery, attempt, post);
    } catch (error) {
      const failure = asNetworkError(error);
      const health = await this.gate.called(passage, delivery, failure);
      this.metrics.attempts.inc({ network: delivery.network, error_class: failure.errorClass });
      const attempt = attemptOf(startedAt, failure.errorClass, failure);
      let step = this.decide(delivery, { kind: 'call_failed', failure: readingOf(failure), health, tokenRenewed: renewed });
      if (step.kind === 'renew_token') {
        await this.claims.noteAttempt(delivery, attempt);
        const waiting = await this.renewToken(delivery, 'refused');
        if (waiting) return waiting;
        if (delivery.tokenRenewed) return this.send(delivery, passage, true);
        // Nothing to renew with: as if renewed and refused again.
        step = this.decide(delivery, { kind: 'call_failed', failure: readingOf(failure), health, tokenRenewed: true });
      }
      if (step.kind === 'look_up') {
        const at = await this.claims.awaitLookup(delivery, attempt);
        this.logger.warn({ msg: 'outcome unknown; looking the post up once the network has settled', deliveryId: delivery.id, code: failure.code, at: at.toISOString(), requestId: delivery.requestId });
        return { kind: 'later', at, reason: 'the outcome of a call is unknown; looking it up once the network has settled' };
      }
      if (failure.errorClass === 'auth_expired') {
        // The token is gone: recorded as revoked.
        const revoked = new NetworkError('auth_revoked', 'auth_revoked', failure.message, { httpStatus: failure.httpStatus });
        return this.failedAttempt(delivery, attemptOf(startedAt, 'auth_revoked', revoked), revoked, step, health);
      }
      return this.failedAttempt(delivery, attempt, failure, step, health);
    }
  }

  /**
   * Renews the delivery's token (see ChannelTokens). Answers what the job
   * does instead of publishing when it cannot go on: the channel was
   * disconnected (the delivery waits for it, its attempt refunded), or the
   * network could not be reached (retried). Undefined: go on (with the new
   * token when there is one).
   */
  private async renewToken(delivery: ClaimedDelivery, why: 'ahead' | 'refused'): Promise<PublishOutcome | undefined> {
    const startedAt = new Date();
    let renewal: Renewal;
    try {
      renewal = await this.tokens.renew({ channelId: delivery.channelId, network: delivery.network, accessToken: delivery.accessToken }, why);
    } catch (error) {
      const failure = asNetworkError(error);
      const attempt = { ...attemptOf(startedAt, 'transient', failure), errorCode: 'token_renewal_failed' };
      const renewalFailure = new NetworkError('transient', 'token_renewal_failed', `Could not renew the access token: ${failure.message}`, { ambiguous: false });
      return this.failedAttempt(delivery, attempt, renewalFailure, this.decide(delivery, { kind: 'call_failed', failure: readingOf(renewalFailure), health: null, tokenRenewed: false }));
    }
    if (renewal.kind === 'fresh') {
      delivery.tokenRenewed = renewal.accessToken !== delivery.accessToken;
      delivery.accessToken = renewal.accessToken;
      return undefined;
    }
    if (renewal.kind === 'impossible') return undefined;
    const at = new Date();
    const message = `The network refused to renew the channel's access token (${renewal.reason}); the channel is disconnected and this post waits for it to be connected again`;
    await this.claims.markRetry(delivery, { startedAt, finishedAt: at, outcome: 'auth_revoked', errorCode: 'channel_disconnected', errorMessage: message }, at, true);
    this.logger.warn({ msg: 'channel disconnected: the delivery waits', deliveryId: delivery.id, channelId: delivery.channelId, requestId: delivery.requestId });
    return { kind: 'later', at, reason: 'channel disconnected' };
  }

  /** Looks the post up on the network: found means published; absent means safe to send; unknown means `unconfirmed`. */
  private async lookUpThen(delivery: ClaimedDelivery, adapter: ChannelAdapter, passage: Extract<Passage, { go: true }>): Promise<PublishOutcome> {
    const startedAt = new Date();
    const since = new Date(delivery.claimedAt.getTime() - this.config.lookupClockSkewMs);
    let found: PublishedPost | null;
    const current = currentStep(delivery);
    if (delivery.steps.length > 0 && !current) return this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'lookup_found' }, rootOf(delivery));
    try {
      const replyTo = current ? replyTargetOf(delivery, current) : undefined;
      found = await adapter.lookup({
        ...this.callContext(delivery),
        onRateLimit: this.gate.budgetReader(delivery),
        content: { ...(current ? { text: current.text, media: current.media as MediaItem[] } : { text: delivery.text, media: delivery.media as MediaItem[] }), ...optionsOf(delivery, current) },
        idempotencyKey: stepKeyOf(delivery, current),
        since,
        ref: (current ? current.networkRef : delivery.networkRef) ?? undefined,
        excludeExternalIds: await this.claims.externalIdsSince(delivery, since),
        ...(replyTo ? { replyTo } : {}),
      });
    } catch (error) {
      const failure = asNetworkError(error);
      await this.gate.called(passage, delivery, failure);
      if (this.decide(delivery, { kind: 'lookup_failed', failure: readingOf(failure) }).kind === 'look_up') {
        // The network could not be asked (it is down): ask again later, nothing sent meanwhile.
        const at = await this.claims.awaitLookup(delivery, attemptOf(startedAt, 'transient', failure));
        this.logger.warn({ msg: 'lookup failed; asking again once the network answers', deliveryId: delivery.id, code: failure.code, requestId: delivery.requestId });
        return { kind: 'later', at, reason: `lookup failed: ${failure.message}` };
      }
      const message = `The network could not confirm whether the post was published (${failure.message}); not retried to avoid a duplicate`;
      await this.claims.markFailed(delivery, { ...attemptOf(startedAt, 'unconfirmed', failure), errorCode: 'unconfirmed', errorMessage: message });
      return { kind: 'failed', code: 'unconfirmed', message };
    }
    await this.gate.called(passage, delivery);
    if (found && current) return this.stepOut(delivery, current, { startedAt, finishedAt: new Date(), outcome: 'lookup_found' }, found);
    if (found) return this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'lookup_found' }, found);
    const notFound: AttemptRecord = { startedAt, finishedAt: new Date(), outcome: 'lookup_not_found' };
    const step = this.decide(delivery, { kind: 'lookup_not_found', lastErrorCode: delivery.lastErrorCode });
    if (step.kind === 'fail') {
      const message =
        step.code === 'duplicate_content'
          ? 'X refused the text as a duplicate of a post that is not this one; not sent again'
          : `Not published after ${delivery.attemptCount} attempts whose outcome was unclear`;
      await this.claims.markFailed(delivery, { ...notFound, errorCode: step.code, errorMessage: message });
      return { kind: 'failed', code: step.code, message };
    }
    await this.claims.noteAttempt(delivery, notFound);
    // The lookup may have taken much of the lease: the call must fit in what is left, or in a renewed one.
    if (!(await this.leaseCovers(delivery))) return { kind: 'skipped', reason: 'the claim ended during the lookup; its recovery sends it' };
    this.logger.log({ msg: 'lookup found no post; sending', deliveryId: delivery.id, requestId: delivery.requestId });
    delivery.attemptCount = await this.claims.countAttempt(delivery.id);
    return this.send(delivery, passage);
  }

  /** Renews the lease when less is left of it than one call may take; false when the claim is no longer this worker's. */
  private async leaseCovers(delivery: ClaimedDelivery): Promise<boolean> {
    if (delivery.leaseEndsAt - Date.now() - LEASE_MARGIN_MS > this.config.networkTimeoutMs) return true;
    return this.claims.renew(delivery, this.config.claimLeaseMs);
  }

  /**
   * One step of several is on the network: it is committed (the next step
   * answers it, and a worker that dies from here on resumes after it), and
   * the next one goes, through the host's gate like any call, within a
   * lease that covers it; the last one out publishes the delivery (as its
   * first part). Turned away, the claim is given back and the next claim
   * resumes at the step after this one.
   */
  private async stepOut(delivery: ClaimedDelivery, step: PublishStep, attempt: AttemptRecord, post: PublishedPost): Promise<PublishOutcome> {
    if (!(await this.claims.stepPublished(delivery, step, post))) return { kind: 'skipped', reason: 'no longer publishing' };
    this.logger.log({ msg: 'step published', deliveryId: delivery.id, step: stepLabel(delivery, step), externalId: post.externalId, requestId: delivery.requestId });
    if (!currentStep(delivery)) return this.published(delivery, attempt, rootOf(delivery));
    await this.claims.noteAttempt(delivery, attempt);
    const passage = await this.gate.pass(delivery);
    if (!passage.go) return this.turnedAway(delivery, passage);
    if (!(await this.leaseCovers(delivery))) return { kind: 'skipped', reason: 'the claim ended between two steps; its recovery goes on from the next' };
    return this.send(delivery, passage);
  }

  /** Until when a transient failure is retried: the retry window, from the scheduled time (or the claim, for a post sent now). */
  private windowEnd(delivery: ClaimedDelivery): number {
    return (delivery.scheduledAt ?? delivery.claimedAt).getTime() + this.config.publishRetryWindowMs;
  }

  /** The failure policy's next step for this delivery (see failure-policy.ts). */
  private decide(delivery: ClaimedDelivery, event: PolicyEvent): NextStep {
    return nextStep(event, {
      now: Date.now(),
      attemptCount: delivery.attemptCount,
      maxAttempts: this.config.maxPublishAttempts,
      windowEnd: this.windowEnd(delivery),
      honoursIdempotencyKey: this.adapter(delivery).honoursIdempotencyKey,
      retryBackoffMs: this.config.retryBackoffMs,
      retryMaxDelayMs: this.config.retryMaxDelayMs,
      degradedRetryMaxMs: this.config.circuit.degradedRetryMaxMs,
    });
  }

  private callContext(delivery: ClaimedDelivery): CallContext {
    return {
      credentials: {
        handle: delivery.handle,
        accessToken: delivery.accessToken,
        ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
        ...(delivery.host ? { host: delivery.host } : {}),
      },
      details: delivery.details,
      deadline: delivery.leaseEndsAt - LEASE_MARGIN_MS,
    };
  }

  private async published(delivery: ClaimedDelivery, attempt: AttemptRecord, post: PublishedPost): Promise<PublishOutcome> {
    await this.claims.markPublished(delivery, attempt, post);
    if (delivery.scheduledAt) this.metrics.lateness.observe({ network: delivery.network }, Math.max(0, Date.now() - delivery.scheduledAt.getTime()) / 1000);
    this.logger.log({
      msg: 'published',
      deliveryId: delivery.id,
      postId: delivery.postId,
      network: delivery.network,
      externalId: post.externalId,
      latenessMs: delivery.scheduledAt ? Date.now() - delivery.scheduledAt.getTime() : null,
      requestId: delivery.requestId,
    });
    return { kind: 'published', externalId: post.externalId };
  }

  /**
   * Records a failed call and carries out the policy's step for it (see
   * failure-policy.ts): a 429 waits for the channel's budget without an
   * attempt spent; a transient failure is retried (within seconds when the
   * host's breaker counted it, as it paces a degraded host and turns calls
   * to a down one away until its probes; else backing off up to
   * RETRY_MAX_DELAY_MS) until the retry window or the attempts run out; a
   * refused post or token fails at once.
   */
  private async failedAttempt(delivery: ClaimedDelivery, attempt: AttemptRecord, failure: NetworkError, step: NextStep, health: HostHealth | null = null): Promise<PublishOutcome> {
    const log = { deliveryId: delivery.id, network: delivery.network, code: failure.code, requestId: delivery.requestId };
    switch (step.kind) {
      case 'wait_rate_limit': {
        const at = new Date(step.at);
        await this.gate.rateLimited(delivery, at);
        await this.claims.markRetry(delivery, attempt, at, true, { reason: 'rate_limited', until: at.toISOString() });
        this.logger.warn({ msg: 'rate limited; waiting', until: at.toISOString(), ...log });
        return { kind: 'later', at, reason: 'rate limited' };
      }
      case 'retry': {
        const at = new Date(step.at);
        const host = this.registry.hostOf(delivery.network as Network, delivery.host);
        const reason = step.waitingFor;
        const since = delivery.waitingFor?.reason === reason && delivery.waitingFor.since ? delivery.waitingFor.since : attempt.startedAt.toISOString();
        await this.claims.markRetry(delivery, attempt, at, false, { reason, host, since });
        this.logger.warn({ msg: 'transient failure; retrying', attempt: delivery.attemptCount, until: at.toISOString(), hostHealth: health, ...log });
        return { kind: 'later', at, reason: failure.message };
      }
      case 'fail': {
        if (step.disconnect) {
          await this.claims.markFailed(delivery, attempt, { disconnectChannel: true });
          this.logger.error({ msg: 'token revoked; channel disconnected', channelId: delivery.channelId, ...log });
          return { kind: 'failed', code: failure.code, message: failure.message };
        }
        if (!step.summary) {
          await this.claims.markFailed(delivery, attempt);
          this.logger.error({ msg: 'rejected by the network', reason: failure.message, ...log });
          return { kind: 'failed', code: failure.code, message: failure.message };
        }
        const code = step.code;
        const message =
          code === 'attempts_exhausted'
            ? `Not published after ${delivery.attemptCount} attempts (the ceiling, MAX_PUBLISH_ATTEMPTS); the last: ${failure.message}`
            : `The network was unavailable for the whole retry window (${Math.round(this.config.publishRetryWindowMs / 60_000)} min after the scheduled time, ${delivery.attemptCount} attempts); the last: ${failure.message}`;
        await this.claims.markFailed(delivery, attempt, { error: { code, message } });
        this.logger.error({ msg: 'failed after retries', attempts: delivery.attemptCount, ...log, code });
        return { kind: 'failed', code, message };
      }
      default:
        throw new Error(`The failure policy's step ${step.kind} is not one for a failed call`);
    }
  }

  private adapter(delivery: ClaimedDelivery): ChannelAdapter {
    return this.adapters.get(delivery.network as Network);
  }
}

function waitMessage(passage: Extract<Passage, { go: false }>): string {
  switch (passage.waitingFor.reason) {
    case 'rate_limited':
      return `the channel's rate-limit budget is spent until ${passage.waitingFor.until}`;
    case 'network_degraded':
      return `${passage.waitingFor.host} is failing some calls (degraded); its calls are paced, trying again at ${passage.until.toISOString()}`;
    case 'network_unavailable':
      return `${passage.waitingFor.host} is unavailable (circuit open); trying again at ${passage.until.toISOString()}`;
  }
}

function asNetworkError(error: unknown): NetworkError {
  if (error instanceof NetworkError) return error;
  // Not from the network's answer (a bug, or our own I/O): the call's effect is unknown.
  return new NetworkError('transient', 'internal_error', error instanceof Error ? error.message : String(error), { ambiguous: true });
}

function readingOf(failure: NetworkError): FailureReading {
  return { errorClass: failure.errorClass, code: failure.code, ambiguous: failure.ambiguous, ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}) };
}

function attemptOf(startedAt: Date, outcome: AttemptOutcome, failure: NetworkError): AttemptRecord {
  return {
    startedAt,
    finishedAt: new Date(),
    outcome,
    errorCode: failure.code,
    errorMessage: failure.message,
    httpStatus: failure.httpStatus,
  };
}

/** The delivery as a whole once every step is out: where its first part lives. */
function rootOf(delivery: ClaimedDelivery): PublishedPost {
  const root = delivery.steps[0]!;
  return { externalId: root.externalId, externalUrl: root.externalUrl ?? '' };
}

/**
 * What a step answers: the step before it (its parent), in the thread its
 * first part starts (its root). A parent the network gave no id for cannot
 * be answered: the step is refused rather than posted out of the thread.
 */
function replyTargetOf(delivery: ClaimedDelivery, step: PublishStep): ReplyTarget | undefined {
  if (step.index === 0) return undefined;
  const root = delivery.steps[0]!;
  const parent = delivery.steps[step.index - 1]!;
  if (!root.externalId || !parent.externalId) {
    throw new NetworkError('rejected', 'parent_unknown', `The network did not say the id of the post ${stepLabel(delivery, step)} answers, so it cannot be sent as a reply`);
  }
  const anchor = (of: PublishStep) => ({ externalId: of.externalId!, ...(of.threadRef ? { threadRef: of.threadRef } : {}) });
  return { root: anchor(root), parent: anchor(parent) };
}

/** The idempotency key of a step: the delivery's id for the first (as for a post of one part), with the step's index after it for the others. */
function stepKeyOf(delivery: ClaimedDelivery, step: PublishStep | undefined): string {
  return !step || step.index === 0 ? delivery.id : `${delivery.id}.${step.index}`;
}

/** The post's options for its network (a YouTube title, a Pinterest board), for the post itself: never a reply or a comment. */
function optionsOf(delivery: ClaimedDelivery, step: PublishStep | undefined): { options?: Record<string, unknown> } {
  const first = !step || (step.kind === 'part' && step.index === 0);
  return first && Object.keys(delivery.networkOptions).length > 0 ? { options: delivery.networkOptions } : {};
}
