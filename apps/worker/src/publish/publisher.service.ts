import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapter, ChannelAdapterRegistry, Network, NetworkError, PublishedPost } from '@herald/channels';
import { AttemptOutcome } from '@herald/db';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { transientRetryDelayMs } from './backoff';
import { AttemptRecord, ClaimedDelivery, DeliveryClaims, isClaimed } from './delivery-claims';

/** What the queue should do with the job after a publish. */
export type PublishOutcome =
  | { kind: 'published'; externalId: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'later'; at: Date; reason: string }
  | { kind: 'failed'; code: string; message: string };

/**
 * The publish path, as the guarantee reads: claim the delivery under a row
 * lock with a lease, call the network with the delivery id as idempotency
 * key, record the attempt and the outcome. A delivery found mid-publish after
 * a crash is looked up on the network before anything is sent again.
 */
@Injectable()
export class PublisherService {
  private readonly logger = new Logger(PublisherService.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly claims: DeliveryClaims,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly metrics: WorkerMetrics,
  ) {}

  async publish(deliveryId: string): Promise<PublishOutcome> {
    const claim = await this.claims.claim(deliveryId, this.config.claimLeaseMs);
    if (isClaimed(claim)) return this.counted(claim, await this.send(claim));
    switch (claim.kind) {
      case 'not_due':
        return { kind: 'later', at: claim.dueAt, reason: 'not due yet' };
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
   * A claim whose worker died mid-call. Where the network honours the
   * idempotency key, sending again is safe; elsewhere the post is looked up
   * first, and if the network cannot tell, the delivery fails as
   * `unconfirmed` rather than risk a duplicate.
   */
  async recover(deliveryId: string): Promise<PublishOutcome> {
    const delivery = await this.claims.reclaim(deliveryId, this.config.claimLeaseMs);
    if (!delivery) return { kind: 'skipped', reason: 'no longer interrupted' };
    this.logger.warn({ msg: 'recovering an interrupted publish', deliveryId, requestId: delivery.requestId });
    const adapter = this.adapter(delivery);
    if (adapter.honoursIdempotencyKey) {
      delivery.attemptCount = await this.claims.countAttempt(delivery.id);
      return this.counted(delivery, await this.send(delivery));
    }
    return this.counted(delivery, await this.lookUpThen(delivery, adapter));
  }

  /** Final outcomes feed the metrics; "later" is not final. */
  private counted(delivery: ClaimedDelivery, outcome: PublishOutcome): PublishOutcome {
    if (outcome.kind === 'published') this.metrics.publishes.inc({ network: delivery.network, outcome: 'published' });
    if (outcome.kind === 'failed') this.metrics.publishes.inc({ network: delivery.network, outcome: outcome.code });
    return outcome;
  }

  private async send(delivery: ClaimedDelivery): Promise<PublishOutcome> {
    const adapter = this.adapter(delivery);
    const startedAt = new Date();
    try {
      const post = await adapter.publish({
        credentials: { handle: delivery.handle, accessToken: delivery.accessToken },
        content: { text: delivery.text, media: delivery.media },
        idempotencyKey: delivery.id,
      });
      this.metrics.attempts.inc({ network: delivery.network, error_class: 'none' });
      return await this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'published' }, post);
    } catch (error) {
      const failure = asNetworkError(error);
      this.metrics.attempts.inc({ network: delivery.network, error_class: failure.errorClass });
      const attempt = attemptOf(startedAt, failure.errorClass, failure);
      if (failure.errorClass === 'transient' && failure.ambiguous && !adapter.honoursIdempotencyKey) {
        // The network may have posted it: look before sending again, still under our claim.
        await this.claims.noteAttempt(delivery, attempt);
        return this.lookUpThen(delivery, adapter);
      }
      return this.failedAttempt(delivery, attempt, failure);
    }
  }

  /** Looks the post up on the network: found means published; absent means safe to send; unknown means `unconfirmed`. */
  private async lookUpThen(delivery: ClaimedDelivery, adapter: ChannelAdapter): Promise<PublishOutcome> {
    const startedAt = new Date();
    let found: PublishedPost | null;
    try {
      found = await adapter.lookup({
        credentials: { handle: delivery.handle, accessToken: delivery.accessToken },
        content: { text: delivery.text, media: delivery.media },
        idempotencyKey: delivery.id,
        since: new Date(delivery.claimedAt.getTime() - 60_000),
      });
    } catch (error) {
      const failure = asNetworkError(error);
      const message = `The network could not confirm whether the post was published (${failure.message}); not retried to avoid a duplicate`;
      await this.claims.markFailed(delivery, { ...attemptOf(startedAt, 'unconfirmed', failure), errorCode: 'unconfirmed', errorMessage: message });
      return { kind: 'failed', code: 'unconfirmed', message };
    }
    if (found) return this.published(delivery, { startedAt, finishedAt: new Date(), outcome: 'lookup_found' }, found);
    const notFound: AttemptRecord = { startedAt, finishedAt: new Date(), outcome: 'lookup_not_found' };
    if (delivery.attemptCount >= this.config.maxPublishAttempts) {
      const message = `Not published after ${delivery.attemptCount} attempts whose outcome was unclear`;
      await this.claims.markFailed(delivery, { ...notFound, errorCode: 'attempts_exhausted', errorMessage: message });
      return { kind: 'failed', code: 'attempts_exhausted', message };
    }
    await this.claims.noteAttempt(delivery, notFound);
    this.logger.log({ msg: 'lookup found no post; sending', deliveryId: delivery.id, requestId: delivery.requestId });
    delivery.attemptCount = await this.claims.countAttempt(delivery.id);
    return this.send(delivery);
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

  private async failedAttempt(delivery: ClaimedDelivery, attempt: AttemptRecord, failure: NetworkError): Promise<PublishOutcome> {
    const log = { deliveryId: delivery.id, network: delivery.network, code: failure.code, requestId: delivery.requestId };
    switch (failure.errorClass) {
      case 'rate_limited': {
        const at = new Date(Date.now() + (failure.retryAfterMs ?? 60_000));
        await this.claims.markRetry(delivery, attempt, at, true);
        this.logger.warn({ msg: 'rate limited; waiting', until: at.toISOString(), ...log });
        return { kind: 'later', at, reason: 'rate limited' };
      }
      case 'transient': {
        if (delivery.attemptCount < this.config.maxPublishAttempts) {
          const at = new Date(Date.now() + transientRetryDelayMs(delivery.attemptCount, this.config.retryBackoffMs));
          await this.claims.markRetry(delivery, attempt, at, false);
          this.logger.warn({ msg: 'transient failure; retrying', attempt: delivery.attemptCount, until: at.toISOString(), ...log });
          return { kind: 'later', at, reason: failure.message };
        }
        await this.claims.markFailed(delivery, attempt);
        this.logger.error({ msg: 'failed after retries', attempts: delivery.attemptCount, ...log });
        return { kind: 'failed', code: failure.code, message: failure.message };
      }
      case 'auth_revoked':
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
