import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { CallContext, ChannelAdapter, ChannelAdapterRegistry, MediaItem, Network, NetworkError, PublishedPost } from '@herald/channels';
import { AttemptOutcome, WaitingFor } from '@herald/db';
import { HostHealth } from '@herald/queue';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { transientRetryDelayMs } from './backoff';
import { ChannelTokens, Renewal } from '../tokens/channel-tokens.service';
import { AttemptRecord, ClaimedDelivery, DeliveryClaims, isClaimed } from './delivery-claims';
import { HostGate, Passage, hostFailed } from './host-gate';
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
      const lateness = claim.scheduledAt ? Date.now() - claim.scheduledAt.getTime() : 0;
      if (claim.staleAfterSeconds !== null && lateness > claim.staleAfterSeconds * 1000) {
        await this.claims.markMissed(claim, lateness);
        this.logger.warn({ msg: 'missed: later than the channel lets a post go out', deliveryId: claim.id, latenessMs: lateness, staleAfterSeconds: claim.staleAfterSeconds, requestId: claim.requestId });
        this.metrics.publishes.inc({ network: claim.network, outcome: 'missed' });
        return { kind: 'failed', code: 'missed', message: `later than the channel's staleAfterSeconds (${claim.staleAfterSeconds} s)` };
      }
      const passage = await this.gate.pass(claim);
      if (!passage.go) return this.turnedAway(claim, passage);
      return this.counted(claim, await this.send(claim, passage));
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
    let until = passage.until;
    if (passage.waitingFor.reason === 'network_unavailable') {
      if (this.windowPassed(delivery)) return this.unavailableTooLong(delivery, passage);
      // Back at the window's end at the latest, to be given up then if the host is still down.
      until = new Date(Math.min(until.getTime(), this.windowEnd(delivery)));
    }
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
    try {
      const media = await this.publishMedia.of(delivery);
      const post = await adapter.publish({
        ...this.callContext(delivery),
        onRateLimit: this.gate.budgetReader(delivery),
        content: { text: delivery.text, media },
        uploads: this.publishMedia.uploadsOf(delivery),
        idempotencyKey: delivery.id,
        ref: delivery.networkRef ?? undefined,
        defaults: delivery.postDefaults,
        keepRef: (ref) => this.claims.keepRef(delivery, ref),
      });
      this.metrics.attempts.inc({ network: delivery.network, error_class: 'none' });
      await this.gate.called(passage, delivery);
      return await this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'published' }, post);
    } catch (error) {
      let failure = asNetworkError(error);
      const health = await this.gate.called(passage, delivery, failure);
      this.metrics.attempts.inc({ network: delivery.network, error_class: failure.errorClass });
      const attempt = attemptOf(startedAt, failure.errorClass, failure);
      if (failure.errorClass === 'auth_expired') {
        if (!renewed) {
          await this.claims.noteAttempt(delivery, attempt);
          const waiting = await this.renewToken(delivery, 'refused');
          if (waiting) return waiting;
          if (delivery.tokenRenewed) return this.send(delivery, passage, true);
        }
        // Renewed and refused again, or nothing to renew with: the token is gone.
        failure = new NetworkError('auth_revoked', 'auth_revoked', failure.message, { httpStatus: failure.httpStatus });
        return this.failedAttempt(delivery, attemptOf(startedAt, 'auth_revoked', failure), failure, health);
      }
      if (failure.errorClass === 'transient' && failure.ambiguous && !adapter.honoursIdempotencyKey) {
        // The network may have posted it, and may still be acting on the call: look, but only once it has settled.
        const at = await this.claims.awaitLookup(delivery, attempt);
        this.logger.warn({ msg: 'outcome unknown; looking the post up once the network has settled', deliveryId: delivery.id, code: failure.code, at: at.toISOString(), requestId: delivery.requestId });
        return { kind: 'later', at, reason: 'the outcome of a call is unknown; looking it up once the network has settled' };
      }
      return this.failedAttempt(delivery, attempt, failure, health);
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
      return this.failedAttempt(delivery, attempt, new NetworkError('transient', 'token_renewal_failed', `Could not renew the access token: ${failure.message}`, { ambiguous: false }));
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
    try {
      found = await adapter.lookup({
        ...this.callContext(delivery),
        onRateLimit: this.gate.budgetReader(delivery),
        content: { text: delivery.text, media: delivery.media as MediaItem[] },
        idempotencyKey: delivery.id,
        since,
        ref: delivery.networkRef ?? undefined,
        excludeExternalIds: await this.claims.externalIdsSince(delivery, since),
      });
    } catch (error) {
      const failure = asNetworkError(error);
      await this.gate.called(passage, delivery, failure);
      if (hostFailed(failure) && failure.code !== 'lookup_too_deep' && !this.windowPassed(delivery)) {
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
    if (found) return this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'lookup_found' }, found);
    const notFound: AttemptRecord = { startedAt, finishedAt: new Date(), outcome: 'lookup_not_found' };
    if (delivery.lastErrorCode === 'duplicate_content') {
      // X refused the text as a duplicate and no post of this delivery is there: another post has it.
      const message = 'X refused the text as a duplicate of a post that is not this one; not sent again';
      await this.claims.markFailed(delivery, { ...notFound, errorCode: 'duplicate_content', errorMessage: message });
      return { kind: 'failed', code: 'duplicate_content', message };
    }
    if (delivery.attemptCount >= this.config.maxPublishAttempts) {
      const message = `Not published after ${delivery.attemptCount} attempts whose outcome was unclear`;
      await this.claims.markFailed(delivery, { ...notFound, errorCode: 'attempts_exhausted', errorMessage: message });
      return { kind: 'failed', code: 'attempts_exhausted', message };
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

  /** Until when a transient failure is retried: the retry window, from the scheduled time (or the claim, for a post sent now). */
  private windowEnd(delivery: ClaimedDelivery): number {
    return (delivery.scheduledAt ?? delivery.claimedAt).getTime() + this.config.publishRetryWindowMs;
  }

  private windowPassed(delivery: ClaimedDelivery): boolean {
    return Date.now() >= this.windowEnd(delivery);
  }

  private callContext(delivery: ClaimedDelivery): CallContext {
    return {
      credentials: {
        handle: delivery.handle,
        accessToken: delivery.accessToken,
        ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
        ...(delivery.host ? { host: delivery.host } : {}),
      },
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
   * Records a failed call and decides what comes next. `health`: how the
   * host is after it (null: not known). A transient failure the host's
   * breaker has counted is retried within seconds
   * (CIRCUIT_DEGRADED_RETRY_MAX_MS): the breaker paces a degraded host's calls
   * and turns every call to a down one away until its probes, without an
   * attempt spent. One it could not count (Redis lost, or not the host's
   * fault) backs off as usual, up to RETRY_MAX_DELAY_MS.
   */
  private async failedAttempt(delivery: ClaimedDelivery, attempt: AttemptRecord, failure: NetworkError, health: HostHealth | null = null): Promise<PublishOutcome> {
    const log = { deliveryId: delivery.id, network: delivery.network, code: failure.code, requestId: delivery.requestId };
    switch (failure.errorClass) {
      case 'rate_limited': {
        const at = new Date(Date.now() + (failure.retryAfterMs ?? 60_000));
        await this.gate.rateLimited(delivery, at);
        await this.claims.markRetry(delivery, attempt, at, true, { reason: 'rate_limited', until: at.toISOString() });
        this.logger.warn({ msg: 'rate limited; waiting', until: at.toISOString(), ...log });
        return { kind: 'later', at, reason: 'rate limited' };
      }
      case 'transient': {
        const windowEnds = this.windowEnd(delivery);
        if (Date.now() < windowEnds && delivery.attemptCount < this.config.maxPublishAttempts) {
          // The breaker knows of this failure: it paces a degraded host and holds back all calls to a down one, so
          // the retry need not wait long (it spends nothing while the breaker turns it away).
          const gated = health !== null && hostFailed(failure);
          const cap = gated ? Math.min(this.config.retryMaxDelayMs, this.config.circuit.degradedRetryMaxMs) : this.config.retryMaxDelayMs;
          const delay = transientRetryDelayMs(delivery.attemptCount, this.config.retryBackoffMs, cap);
          // The last try is at the window's end, not past it.
          const at = new Date(Math.min(Date.now() + delay, windowEnds));
          const host = this.registry.hostOf(delivery.network as Network, delivery.host);
          const reason: WaitingFor['reason'] = gated && health !== 'down' ? 'network_degraded' : 'network_unavailable';
          const since = delivery.waitingFor?.reason === reason && delivery.waitingFor.since ? delivery.waitingFor.since : attempt.startedAt.toISOString();
          await this.claims.markRetry(delivery, attempt, at, false, { reason, host, since });
          this.logger.warn({ msg: 'transient failure; retrying', attempt: delivery.attemptCount, until: at.toISOString(), hostHealth: health, ...log });
          return { kind: 'later', at, reason: failure.message };
        }
        const exhausted = delivery.attemptCount >= this.config.maxPublishAttempts;
        const code = exhausted ? 'attempts_exhausted' : 'network_unavailable';
        const message = exhausted
          ? `Not published after ${delivery.attemptCount} attempts (the ceiling, MAX_PUBLISH_ATTEMPTS); the last: ${failure.message}`
          : `The network was unavailable for the whole retry window (${Math.round(this.config.publishRetryWindowMs / 60_000)} min after the scheduled time, ${delivery.attemptCount} attempts); the last: ${failure.message}`;
        await this.claims.markFailed(delivery, attempt, { error: { code, message } });
        this.logger.error({ msg: 'failed after retries', attempts: delivery.attemptCount, ...log, code });
        return { kind: 'failed', code, message };
      }
      case 'auth_revoked':
      case 'auth_expired':
        await this.claims.markFailed(delivery, attempt, { disconnectChannel: true });
        this.logger.error({ msg: 'token revoked; channel disconnected', channelId: delivery.channelId, ...log });
        return { kind: 'failed', code: failure.code, message: failure.message };
      case 'rejected':
        await this.claims.markFailed(delivery, attempt);
        this.logger.error({ msg: 'rejected by the network', reason: failure.message, ...log });
        return { kind: 'failed', code: failure.code, message: failure.message };
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
