/**
 * What stands between a claimed delivery and its network call: its
 * channel's rate-limit budget (spent until the reset the network reported)
 * and its host's circuit breaker (down: wait for the probes; recovering or
 * degraded: take a paced slot). A delivery turned away spends nothing: its claim is given
 * back with the time to come again and why it waits. After the call, its
 * outcome is told to the breaker, whose transitions are logged, counted and
 * announced (`network.degraded`, `network.recovered`) to the workspaces with
 * channels on that host.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapterRegistry, Network, NetworkError } from '@herald/channels';
import { ChannelsRepository, SYSTEM, WaitingFor, WebhookEventsRepository, inTransaction } from '@herald/db';
import { ChannelBudgets, HostHealth, NetworkCircuits, Recorded, WebhookQueue } from '@herald/queue';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { ClaimedDelivery } from './delivery-claims';
import { hostFailed } from './failure-policy';

/** A call may go (as the breaker's probe, maybe), or must wait until `until`. */
export type Passage = { go: true; key: string; host: string; probe: boolean } | { go: false; until: Date; waitingFor: WaitingFor };

/** How long a host last seen with a clean window is taken to still have one (its successes not recorded meanwhile). */
const CLEAN_FOR_MS = 1000;

@Injectable()
export class HostGate {
  private readonly logger = new Logger(HostGate.name);
  /** Hosts whose last recorded window was all successes, until when that is trusted. */
  private readonly clean = new Map<string, number>();

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly circuits: NetworkCircuits,
    private readonly budgets: ChannelBudgets,
    private readonly registry: ChannelAdapterRegistry,
    private readonly metrics: WorkerMetrics,
    private readonly channels: ChannelsRepository,
    private readonly events: WebhookEventsRepository,
    private readonly webhooks: WebhookQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Whether this delivery's call may go now. Redis holds the breakers and
   * budgets and may be lost at any time: without it the call goes, as it
   * would with no breaker (the claim in Postgres still makes it once).
   */
  async pass(delivery: ClaimedDelivery): Promise<Passage> {
    const host = this.registry.hostOf(delivery.network as Network, delivery.host);
    try {
      return await this.judge(delivery, host);
    } catch (error) {
      this.logger.warn({ msg: 'circuit breaker unavailable (Redis); calling the network', host, deliveryId: delivery.id, error: String(error) });
      return { go: true, key: NetworkCircuits.keyOf(delivery.network, host), host, probe: false };
    }
  }

  /** One round trip: the channel's budget, then the host's breaker. */
  private async judge(delivery: ClaimedDelivery, host: string): Promise<Passage> {
    const key = NetworkCircuits.keyOf(delivery.network, host);
    const waited = delivery.waitingFor;
    const held = (waited?.reason === 'network_unavailable' || waited?.reason === 'network_degraded') && waited.until ? { slot: new Date(waited.until), ticket: waited.ticket } : null;
    const admission = await this.circuits.admit(key, this.config.networkTimeoutMs + 1000, held, this.budgets.keyOf(delivery.channelId));
    if (admission.kind === 'go') return { go: true, key, host, probe: admission.probe };
    if (admission.why === 'budget') {
      // A little after the reset, so the network's clock has passed it too.
      const until = new Date(admission.until.getTime() + 250 + Math.random() * 250);
      return { go: false, until, waitingFor: { reason: 'rate_limited', until: admission.until.toISOString() } };
    }
    const since = admission.since?.toISOString() ?? delivery.waitingFor?.since;
    return {
      go: false,
      until: admission.until,
      waitingFor: {
        reason: admission.why === 'degraded' ? 'network_degraded' : 'network_unavailable',
        host,
        ...(since ? { since } : {}),
        until: admission.until.toISOString(),
        ...(admission.ticket !== undefined ? { ticket: admission.ticket } : {}),
      },
    };
  }

  /** Keeps what an answer said of the channel's budget: none left means its next calls wait for the reset. */
  budgetReader(delivery: ClaimedDelivery): (reading: { remaining: number; resetAt: Date }) => void {
    return (reading) => {
      if (reading.remaining <= 0) void this.keepBudget(delivery, reading.resetAt);
    };
  }

  /** A 429: the channel waits for `until` whatever its headers said. */
  async rateLimited(delivery: ClaimedDelivery, until: Date): Promise<void> {
    await this.keepBudget(delivery, until);
  }

  /** Without Redis the budget is not kept: the next call may meet the 429 itself, and waits then. */
  private async keepBudget(delivery: ClaimedDelivery, resetAt: Date): Promise<void> {
    await this.budgets.spent(delivery.channelId, resetAt).catch((error: unknown) => this.logger.warn({ msg: 'could not keep a rate-limit budget', channelId: delivery.channelId, error: String(error) }));
  }

  /**
   * Tells the host's breaker how the call went (only the host's own failures
   * count against it) and answers how the host is now: `down` (the breaker
   * is open or testing it), `degraded` (failing some calls), `healthy`; null
   * when the breaker could not be asked (Redis).
   */
  async called(passage: Extract<Passage, { go: true }>, delivery: ClaimedDelivery, failure?: NetworkError): Promise<HostHealth | null> {
    const ok = !failure || !hostFailed(failure);
    // A success on a host whose whole window succeeded changes nothing the breaker holds: not sent, for a second.
    if (ok && !passage.probe && (this.clean.get(passage.key) ?? 0) > Date.now()) return 'healthy';
    let recorded: Recorded;
    try {
      recorded = await this.circuits.record(passage.key, ok, passage.probe);
    } catch (error) {
      this.logger.warn({ msg: 'could not record a call for the circuit breaker', host: passage.host, error: String(error) });
      return null;
    }
    const { transition } = recorded;
    if (transition?.kind === 'clean') this.clean.set(passage.key, Date.now() + CLEAN_FOR_MS);
    else this.clean.delete(passage.key);
    if (!transition || transition.kind === 'clean') return recorded.health;
    this.metrics.circuitTransitions.inc({ network: delivery.network, host: passage.host, to: transition.kind === 'closed' ? 'closed' : 'open' });
    if (transition.kind === 'reopened') {
      this.logger.warn({ msg: 'network host still failing: probes reopened the circuit', network: delivery.network, host: passage.host, nextProbeInMs: transition.cooloffMs, backedOff: transition.backedOff });
      return recorded.health;
    }
    if (transition.kind === 'opened') {
      this.logger.error({ msg: 'network host down: circuit opened', network: delivery.network, host: passage.host, failures: transition.failures, probeInMs: transition.cooloffMs });
    } else {
      this.logger.log({ msg: 'network host back: circuit closed', network: delivery.network, host: passage.host, downSince: transition.downSince?.toISOString() ?? null });
    }
    await this.announce(delivery.network as Network, passage.host, transition).catch((error: unknown) =>
      this.logger.warn({ msg: 'could not announce a network host state change', host: passage.host, error: String(error) }),
    );
    return recorded.health;
  }

  /** `network.degraded` / `network.recovered` to every workspace with a live channel on the host. */
  private async announce(network: Network, host: string, transition: NonNullable<Recorded['transition']>): Promise<void> {
    const workspaces = new Set(
      (await this.channels.hostsOfNetwork(SYSTEM, network)).filter((row) => this.registry.hostOf(network, row.host) === host).map((row) => row.workspaceId),
    );
    if (workspaces.size === 0) return;
    const at = new Date().toISOString();
    const type = transition.kind === 'closed' ? 'network.recovered' : 'network.degraded';
    const data = transition.kind === 'closed' ? { network, host, at, downSince: transition.downSince?.toISOString() ?? null } : { network, host, at };
    const deliveries = await inTransaction(this.dataSource, (tx) =>
      this.events.record(
        SYSTEM,
        [...workspaces].map((workspaceId) => ({ workspaceId, type, data })),
        tx,
      ),
    );
    await this.webhooks.enqueue(deliveries);
  }
}
