/**
 * Account figures (docs/analytics.md#account-figures): each channel's
 * followers (and what else its network gives), read once every
 * `ANALYTICS_ACCOUNT_INTERVAL` (a day; the first an hour after the channel
 * is added, or an interval if shorter) and kept as a row per reading.
 * Reads go through the same gates as the post metrics reads (see
 * SnapshotTaker): the channel's reads budget, apart from publishing's, and
 * the host's breaker without a slot or a probe. A read refused for its
 * budget waits for the reset (the channel's other reads with it); a failed
 * one a while; publishing is never waited for. A channel whose network
 * gives no account figures (a LinkedIn member) is looked at again a day on.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { AccountFigures, ChannelAdapterRegistry, Network, NetworkError } from '@herald/channels';
import { DueAccount, MetricsRepository, SYSTEM, TokenCipher } from '@herald/db';
import { ChannelBudgets } from '@herald/queue';
import { SnapshotTaker } from './snapshot-taker';
import { tooLittleLeft } from './snapshot-steps';

/** A claimed reading not finished within this is claimable again (a worker that died mid-read). */
const LEASE_MS = 120_000;
/** A channel's first reading comes this long after it is added (or an interval, if shorter): never in the middle of connecting it. */
const FIRST_AFTER_MS = 3_600_000;
/** At most this many channels read per look. */
const ACCOUNTS_PER_LOOK = 200;

/** What one look did. */
export interface AccountLookResult {
  read: number;
  postponed: number;
}

@Injectable()
export class AccountReader {
  private readonly logger = new Logger(AccountReader.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly metricsRepo: MetricsRepository,
    private readonly registry: ChannelAdapterRegistry,
    private readonly budgets: ChannelBudgets,
    private readonly taker: SnapshotTaker,
    private readonly cipher: TokenCipher,
  ) {}

  /** Follows the channels not followed yet, claims those due and reads them (side by side). */
  async look(): Promise<AccountLookResult> {
    await this.metricsRepo.followChannels(SYSTEM, Math.min(FIRST_AFTER_MS, this.config.analytics.accountEveryMs));
    const due = await this.metricsRepo.claimAccounts(SYSTEM, ACCOUNTS_PER_LOOK, LEASE_MS);
    const outcomes = await Promise.all(due.map((channel) => this.readOne(channel)));
    const result = { read: outcomes.filter((outcome) => outcome === 'read').length, postponed: outcomes.filter((outcome) => outcome === 'postponed').length };
    if (due.length > 0) this.logger.log({ msg: 'account figures read', ...result });
    return result;
  }

  private async readOne(channel: DueAccount): Promise<'read' | 'postponed' | 'none'> {
    const every = this.config.analytics.accountEveryMs;
    const postpone = async (until: Date) => {
      await this.metricsRepo.postponeAccount(SYSTEM, channel.channelId, until);
      return 'postponed' as const;
    };
    // A deleted channel is never read again (its row goes with it); a paused or disconnected one is looked at again an hour on.
    if (channel.channelDeleted) return postpone(new Date(Date.now() + 30 * 86_400_000));
    if (channel.channelStatus !== 'active') return postpone(new Date(Date.now() + 3_600_000));
    const adapter = this.registry.get(channel.network as Network);
    if (!adapter.readAccount) {
      await this.metricsRepo.recordAccount(SYSTEM, channel, null, every);
      return 'none';
    }
    const reading = { channelId: channel.channelId, network: channel.network, host: channel.host };
    const waitUntil = await this.taker.mayRead(reading);
    if (waitUntil) return postpone(waitUntil);
    let figures: AccountFigures | null;
    try {
      figures = await adapter.readAccount({
        credentials: { handle: channel.handle, accessToken: this.cipher.decrypt(channel.accessToken), ...(channel.accountId ? { accountId: channel.accountId } : {}), ...(channel.host ? { host: channel.host } : {}) },
        deadline: Date.now() + this.config.networkTimeoutMs * 2,
        onRateLimit: (budget) => {
          if (tooLittleLeft(budget)) void this.budgets.readsSpent(channel.channelId, budget.resetAt).catch(() => undefined);
        },
      });
    } catch (error) {
      const failure = error instanceof NetworkError ? error : new NetworkError('transient', 'read_failed', String(error));
      const until = await this.taker.waitAfter(reading, failure);
      this.logger.warn({ msg: 'account read failed; it waits', network: channel.network, channelId: channel.channelId, code: failure.code, until: until.toISOString() });
      return postpone(until);
    }
    await this.metricsRepo.recordAccount(
      SYSTEM,
      channel,
      figures === null ? null : { followers: figures.followers ?? null, following: figures.following ?? null, posts: figures.posts ?? null, extra: figures.extra ?? {} },
      every,
    );
    return figures === null ? 'none' : 'read';
  }
}
