import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { CallContext, ChannelAdapterRegistry, HAS_THREADS, Network, NetworkError } from '@herald/channels';
import {
  AttemptOutcome,
  AttemptsRepository,
  PostsRepository,
  SYSTEM,
  TokenCipher,
  UnpublishClaimRow,
  UnpublishRepository,
  WebhookEventsRepository,
  inTransaction,
  toStorableJson,
  toStorableText,
  toStorableTextOrNull,
} from '@herald/db';
import { WebhookQueue } from '@herald/queue';
import { DeliveryStatus, derivePostStatus } from '@herald/scheduling';
import { transientRetryDelayMs } from '../publish/backoff';
import { ChannelTokens } from '../tokens/channel-tokens.service';

/** What the queue does with an unpublish job. */
export type UnpublishOutcome =
  | { kind: 'deleted' }
  | { kind: 'later'; at: Date; reason: string }
  | { kind: 'gave_up'; code: string; message: string }
  | { kind: 'skipped'; reason: string };

/** A call to the network ends this long before the claim's lease does. */
const LEASE_MARGIN_MS = 250;

/**
 * Unpublish, as the guarantee reads: claim the delivery's unpublish in
 * Postgres (its due time moved a lease ahead; one claim, one holder), call
 * the network's delete for each of its parts still out, the last first (a
 * first comment that is a reply before them; a comment on LinkedIn,
 * Facebook or Instagram goes with its post), each part marked off as it
 * goes so a retry resumes where it stopped, then mark the delivery
 * `deleted`, record the attempt, re-derive the post's status and fire
 * `post.deleted`, in one transaction. A delete is safe to repeat: a post
 * the network says is not there is taken as deleted. A transient failure
 * or a rate limit is retried with backoff (up to MAX_PUBLISH_ATTEMPTS
 * tries); a refusal gives up at once, with the network's reason kept on the
 * delivery (unpublish again to retry).
 */
@Injectable()
export class UnpublisherService {
  private readonly logger = new Logger(UnpublisherService.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unpublish: UnpublishRepository,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly cipher: TokenCipher,
    private readonly tokens: ChannelTokens,
    private readonly posts: PostsRepository,
    private readonly attempts: AttemptsRepository,
    private readonly events: WebhookEventsRepository,
    private readonly webhooks: WebhookQueue,
  ) {}

  async run(deliveryId: string): Promise<UnpublishOutcome> {
    const sentAt = Date.now();
    const claim = await this.unpublish.claim(SYSTEM, deliveryId, this.config.claimLeaseMs);
    // Not due (its retry is later: the reconciler gives it a job then), held by another worker, or done.
    if (!claim) return { kind: 'skipped', reason: 'no unpublish of this delivery is due' };
    const startedAt = new Date();
    const deadline = sentAt + this.config.claimLeaseMs - LEASE_MARGIN_MS;
    try {
      const refusal = this.refusalOf(claim);
      if (refusal) return await this.giveUp(claim, startedAt, refusal);
      let accessToken = this.cipher.decrypt(claim.accessToken);
      if (this.tokens.dueForRenewal(claim.network, claim.tokenExpiresAt)) {
        const renewed = await this.renewed(claim, accessToken, 'ahead');
        if ('refused' in renewed) return await this.giveUp(claim, startedAt, renewed.refused);
        accessToken = renewed.accessToken;
      }
      try {
        await this.deleteAll(claim, { ...this.context(claim, accessToken), deadline });
      } catch (error) {
        if (!(error instanceof NetworkError) || error.errorClass !== 'auth_expired') throw error;
        // The token lapsed: renewed, and the deletes tried once more.
        const renewed = await this.renewed(claim, accessToken, 'refused');
        if ('refused' in renewed) return await this.giveUp(claim, startedAt, renewed.refused);
        await this.deleteAll(claim, { ...this.context(claim, renewed.accessToken), deadline });
      }
      return await this.deleted(claim, startedAt);
    } catch (error) {
      return this.failed(claim, startedAt, asNetworkError(error));
    }
  }

  /** Why the delete cannot be made at all, if it cannot. */
  private refusalOf(claim: UnpublishClaimRow): NetworkError | undefined {
    const adapter = this.adapters.get(claim.network as Network);
    if (!adapter.delete || !adapter.rules.deletion.supported) {
      return new NetworkError('rejected', 'unsupported', `${adapter.rules.displayName} cannot delete a post through its API: ${adapter.rules.deletion.how}`);
    }
    if (claim.channelDeletedAt || claim.channelStatus === 'disconnected') {
      return new NetworkError('auth_revoked', 'channel_disconnected', `The channel is ${claim.channelDeletedAt ? 'removed' : 'disconnected'}: connect it again, then unpublish again`);
    }
    if (!claim.hasSteps && !claim.externalId) {
      return new NetworkError('rejected', 'no_external_id', 'The network did not say the id of this post when it was published, so it cannot be deleted through its API: delete it by hand');
    }
    return undefined;
  }

  /**
   * Every part still on the network, the last first; each marked off as it
   * goes. A first comment on a network without threads is a comment on the
   * post, which takes it down with it.
   */
  private async deleteAll(claim: UnpublishClaimRow, context: CallContext): Promise<void> {
    const adapter = this.adapters.get(claim.network as Network);
    if (!claim.hasSteps) {
      await adapter.delete!({ ...context, externalId: claim.externalId! });
      return;
    }
    const threads = HAS_THREADS[claim.network as Network];
    for (const step of [...claim.steps].reverse()) {
      if (step.kind === 'part' || threads) {
        const outcome = await adapter.delete!({ ...context, externalId: step.externalId });
        this.logger.log({ msg: 'part unpublished', deliveryId: claim.id, index: step.idx, kind: step.kind, outcome });
      }
      await this.unpublish.partDeleted(SYSTEM, claim.id, step.idx);
    }
  }

  private context(claim: UnpublishClaimRow, accessToken: string): CallContext {
    return {
      credentials: {
        handle: claim.handle,
        accessToken,
        ...(claim.accountId ? { accountId: claim.accountId } : {}),
        ...(claim.host ? { host: claim.host } : {}),
      },
      details: claim.details,
    };
  }

  private async renewed(claim: UnpublishClaimRow, accessToken: string, why: 'ahead' | 'refused'): Promise<{ accessToken: string } | { refused: NetworkError }> {
    const renewal = await this.tokens.renew({ channelId: claim.channelId, network: claim.network, accessToken }, why);
    if (renewal.kind === 'fresh') return { accessToken: renewal.accessToken };
    if (renewal.kind === 'impossible') {
      return why === 'ahead' ? { accessToken } : { refused: new NetworkError('auth_revoked', 'auth_revoked', 'The network refused the channel\'s token and it cannot be renewed: connect the channel again') };
    }
    return { refused: new NetworkError('auth_revoked', 'channel_disconnected', `The network refused to renew the channel's token (${renewal.reason}): connect it again, then unpublish again`) };
  }

  /** Every part is off the network: the delivery is `deleted`, its attempt recorded, its post re-derived, `post.deleted` fired; one transaction. */
  private async deleted(claim: UnpublishClaimRow, startedAt: Date): Promise<UnpublishOutcome> {
    const webhookIds = await inTransaction(this.dataSource, async (tx) => {
      const [post] = await this.posts.lockAny(SYSTEM, [claim.postId], tx);
      if (!(await this.unpublish.markDeleted(SYSTEM, claim.id, claim.leaseEndsAt, tx))) return undefined;
      const siblings = await this.attempts.insertReadingSiblings(SYSTEM, [this.attemptRow(claim, startedAt, 'deleted')], [claim.postId], tx);
      const status = derivePostStatus(siblings.map((sibling) => sibling.status as DeliveryStatus));
      if (post && post.status !== status) await this.posts.setStatusesAny(SYSTEM, [{ id: claim.postId, status }], tx);
      const data = { postId: claim.postId, deliveryId: claim.id, channelId: claim.channelId, network: claim.network, externalId: claim.externalId, postStatus: status };
      return this.events.record(SYSTEM, [{ workspaceId: claim.workspaceId, type: 'post.deleted', data: toStorableJson(data) }], tx);
    });
    if (!webhookIds) return { kind: 'skipped', reason: 'the claim was taken over by another worker' };
    await this.webhooks.enqueue(webhookIds);
    this.logger.log({ msg: 'unpublished', deliveryId: claim.id, postId: claim.postId, network: claim.network, attempts: claim.attempts });
    return { kind: 'deleted' };
  }

  /** A failed try: again later with backoff (transient, rate limited) while tries are left, else given up. */
  private async failed(claim: UnpublishClaimRow, startedAt: Date, failure: NetworkError): Promise<UnpublishOutcome> {
    const retriable = failure.errorClass === 'transient' || failure.errorClass === 'rate_limited';
    if (!retriable) return this.giveUp(claim, startedAt, failure);
    if (claim.attempts >= this.config.maxPublishAttempts) {
      return this.giveUp(claim, startedAt, failure, { code: 'attempts_exhausted', message: `Not deleted after ${claim.attempts} tries (MAX_PUBLISH_ATTEMPTS); the last: ${failure.message}` });
    }
    const waitMs = failure.retryAfterMs ?? transientRetryDelayMs(claim.attempts, this.config.retryBackoffMs, this.config.retryMaxDelayMs);
    const at = new Date(Date.now() + waitMs);
    const recorded = await this.record(claim, startedAt, failure, at);
    if (!recorded) return { kind: 'skipped', reason: 'the claim was taken over by another worker' };
    this.logger.warn({ msg: 'unpublish failed; retrying', deliveryId: claim.id, network: claim.network, code: failure.code, attempt: claim.attempts, at: at.toISOString() });
    return { kind: 'later', at, reason: failure.message };
  }

  private async giveUp(claim: UnpublishClaimRow, startedAt: Date, failure: NetworkError, summary?: { code: string; message: string }): Promise<UnpublishOutcome> {
    await this.record(claim, startedAt, failure, null, summary);
    const error = summary ?? { code: failure.code, message: failure.message };
    this.logger.error({ msg: 'unpublish given up', deliveryId: claim.id, network: claim.network, ...error });
    return { kind: 'gave_up', ...error };
  }

  /** The failed try's attempt and the delivery's unpublish state (again at `retryAt`, or given up), in one transaction. */
  private record(claim: UnpublishClaimRow, startedAt: Date, failure: NetworkError, retryAt: Date | null, summary?: { code: string; message: string }): Promise<boolean> {
    const error = summary ?? { code: failure.code, message: failure.message };
    return inTransaction(this.dataSource, async (tx) => {
      if (!(await this.unpublish.markFailed(SYSTEM, claim.id, claim.leaseEndsAt, retryAt, { code: error.code, message: toStorableText(error.message.slice(0, 2000)) }, tx))) return false;
      await this.attempts.insertReadingSiblings(SYSTEM, [this.attemptRow(claim, startedAt, 'delete_failed', failure)], [], tx);
      return true;
    });
  }

  private attemptRow(claim: UnpublishClaimRow, startedAt: Date, outcome: AttemptOutcome, failure?: NetworkError) {
    const finishedAt = new Date();
    return {
      delivery_id: claim.id,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      outcome,
      error_code: toStorableTextOrNull(failure?.code.slice(0, 64)),
      error_message: toStorableTextOrNull(failure?.message.slice(0, 2000)),
      http_status: failure?.httpStatus ?? null,
      latency_ms: finishedAt.getTime() - startedAt.getTime(),
    };
  }
}

function asNetworkError(error: unknown): NetworkError {
  if (error instanceof NetworkError) return error;
  // Not the network's answer (our own I/O, a bug): tried again, a delete being safe to repeat.
  return new NetworkError('transient', 'internal_error', error instanceof Error ? error.message : String(error));
}
