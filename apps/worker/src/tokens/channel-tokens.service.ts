/**
 * Keeps channels connected: renews an access token before it lapses, or
 * when a network refuses it as expired, at most once per channel at a time
 * however many workers need it (refresh tokens rotate: two refreshes with
 * one can lock the account out). It takes the channel's row lock, reads the
 * credentials again, renews only if they still need it, and commits the new
 * tokens before anyone uses them. A renewal the network refuses disconnects
 * the channel (once) and announces it (`channel.disconnected`): its
 * deliveries wait for a person to connect it again.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapterRegistry, NETWORKS_CONFIG, Network, NetworkError, NetworksConfig, OAuthClient, RefreshRequest } from '@herald/channels';
import { Channel, ChannelsRepository, Executor, SYSTEM, TokenCipher, WebhookEventsRepository, inTransaction, tenantOf } from '@herald/db';
import { ChannelProfiles, PROFILE_STALE_MS } from '@herald/media';
import { WebhookQueue } from '@herald/queue';

/** What a renewal came to. */
export type Renewal =
  /** A usable token: renewed now, or already by another process. */
  | { kind: 'fresh'; accessToken: string }
  /** The network refused the renewal: the channel is disconnected now. */
  | { kind: 'refused'; reason: string }
  /** Nothing to renew with (no refresh token, a network whose tokens do not lapse). */
  | { kind: 'impossible' };

/** How far ahead a token that cannot be renewed is announced. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;

export interface TokenHolder {
  channelId: string;
  network: string;
  /** The token in hand (decrypted): the one a network refused, or the one about to lapse. */
  accessToken: string;
}

@Injectable()
export class ChannelTokens {
  private readonly logger = new Logger(ChannelTokens.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(NETWORKS_CONFIG) private readonly networks: NetworksConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsRepository,
    private readonly events: WebhookEventsRepository,
    private readonly registry: ChannelAdapterRegistry,
    private readonly cipher: TokenCipher,
    private readonly webhooks: WebhookQueue,
    private readonly profiles: ChannelProfiles,
  ) {}

  /** Whether a token lapsing at `expiresAt` is due for renewal now, by its network's window. */
  dueForRenewal(network: string, expiresAt: Date | null, now = Date.now()): boolean {
    const refresher = this.registry.kit(network as Network).refresher;
    return refresher !== undefined && expiresAt !== null && expiresAt.getTime() - now < refresher.refreshAheadMs;
  }

  /**
   * Renews the holder's token unless someone already did: `ahead` renews
   * only while the stored token still lapses within its window; `refused`
   * only while the stored token is still the one the network refused.
   */
  async renew(holder: TokenHolder, why: 'ahead' | 'refused'): Promise<Renewal> {
    const kit = this.registry.kit(holder.network as Network);
    let disconnected: string[] = [];
    let renewed: Channel | undefined;
    const renewal = await inTransaction(this.dataSource, async (tx): Promise<Renewal> => {
      const channel = await this.channels.credentialsLocked(SYSTEM, holder.channelId, tx);
      if (!channel || channel.deletedAt || channel.status === 'disconnected') return { kind: 'refused', reason: 'the channel is no longer connected' };
      const stored = this.cipher.decrypt(channel.accessToken);
      if (why === 'refused' && stored !== holder.accessToken) return { kind: 'fresh', accessToken: stored };
      if (why === 'ahead' && !this.dueForRenewal(channel.network, channel.tokenExpiresAt)) return { kind: 'fresh', accessToken: stored };
      const request = this.refreshRequest(channel, stored);
      if (!kit.refresher || !kit.refresher.canRefresh(request)) return { kind: 'impossible' };
      try {
        const tokens = await kit.refresher.refresh(request);
        await this.channels.storeTokens(
          SYSTEM,
          channel.id,
          { accessToken: this.cipher.encrypt(tokens.accessToken), refreshToken: tokens.refreshToken ? this.cipher.encrypt(tokens.refreshToken) : null, expiresAt: tokens.expiresAt ?? null },
          tx,
        );
        this.logger.log({ msg: 'access token renewed', channelId: channel.id, network: channel.network, why, expiresAt: tokens.expiresAt?.toISOString() });
        renewed = channel;
        return { kind: 'fresh', accessToken: tokens.accessToken };
      } catch (error) {
        if (!(error instanceof NetworkError) || error.errorClass === 'transient' || error.errorClass === 'rate_limited') throw error;
        disconnected = await this.disconnect(channel, error.message, tx);
        return { kind: 'refused', reason: error.message };
      }
    });
    await this.webhooks.enqueue(disconnected);
    if (renewed && renewal.kind === 'fresh') this.readProfileIfStale(renewed, renewal.accessToken);
    return renewal;
  }

  /**
   * A renewed token is a cheap moment to read the account's name, handle and
   * avatar again, at most once a day; in the background, so the publish or
   * sweep that renewed it does not wait, and never failing it.
   */
  private readProfileIfStale(channel: Channel, accessToken: string): void {
    const readAt = channel.profileRefreshedAt?.getTime() ?? 0;
    if (Date.now() - readAt < PROFILE_STALE_MS) return;
    this.profiles.refresh(tenantOf(channel.workspaceId), channel, accessToken).catch((error: unknown) => {
      this.logger.warn({ msg: 'profile not read after a token renewal', channelId: channel.id, error: String(error) });
    });
  }

  /**
   * The reconciler's part: channels nobody publishes to still get their
   * tokens renewed in time, and a channel whose token lapses without any
   * way to renew it (LinkedIn without a refresh token) is announced once,
   * a week ahead (`channel.expiring`), so a person connects it again.
   * Answers how many it renewed and warned about.
   */
  async sweep(now = new Date()): Promise<{ renewed: number; warned: number }> {
    let renewed = 0;
    let warned = 0;
    const refreshers = this.registry.refreshers();
    for (const refresher of refreshers) {
      const due = await this.channels.renewalsDue(SYSTEM, refresher.network, new Date(now.getTime() + refresher.refreshAheadMs), refresher.renewsWith === 'access_token', 100);
      for (const channel of due) {
        const holder = { channelId: channel.id, network: channel.network, accessToken: this.cipher.decrypt(channel.accessToken) };
        const renewal = await this.renew(holder, 'ahead').catch((error: unknown) => {
          this.logger.warn({ msg: 'token renewal failed; the next sweep tries again', channelId: channel.id, error: String(error) });
          return undefined;
        });
        if (renewal?.kind === 'fresh') renewed += 1;
      }
    }
    const withRefreshTokens = refreshers.filter((refresher) => refresher.renewsWith === 'refresh_token').map((refresher) => refresher.network);
    for (const channel of await this.channels.unrenewableLapsing(SYSTEM, withRefreshTokens, new Date(now.getTime() + EXPIRY_WARNING_MS), 100)) {
      await this.warn(channel);
      warned += 1;
    }
    return { renewed, warned };
  }

  private async warn(channel: Channel): Promise<void> {
    const deliveries = await inTransaction(this.dataSource, async (tx) => {
      await this.channels.markWarned(SYSTEM, channel.id, tx);
      return this.events.record(
        SYSTEM,
        [
          {
            workspaceId: channel.workspaceId,
            type: 'channel.expiring',
            data: { channelId: channel.id, network: channel.network, handle: channel.handle, expiresAt: channel.tokenExpiresAt?.toISOString() ?? null },
          },
        ],
        tx,
      );
    });
    this.logger.warn({ msg: 'channel token lapses soon and cannot be renewed: announced', channelId: channel.id, network: channel.network, expiresAt: channel.tokenExpiresAt });
    await this.webhooks.enqueue(deliveries);
  }

  /** Disconnects the channel and records `channel.disconnected`, in the caller's transaction; answers the webhook deliveries to send. */
  private async disconnect(channel: Channel, reason: string, tx: Executor): Promise<string[]> {
    const changed = await this.channels.disconnect(SYSTEM, [channel.id], tx);
    this.logger.warn({ msg: 'token renewal refused; channel disconnected', channelId: channel.id, network: channel.network, reason });
    return this.events.record(
      SYSTEM,
      changed.map((row) => ({ workspaceId: row.workspaceId, type: 'channel.disconnected' as const, data: { channelId: row.id, network: row.network, handle: row.handle, reason } })),
      tx,
    );
  }

  private refreshRequest(channel: Channel, accessToken: string): RefreshRequest {
    const app = this.registry.kit(channel.network as Network).app;
    const client: OAuthClient | undefined = app ? this.networks.oauthApps[app] : undefined;
    return {
      accessToken,
      ...(channel.refreshToken ? { refreshToken: this.cipher.decrypt(channel.refreshToken) } : {}),
      ...(client ? { client } : {}),
      ...(channel.host ? { host: channel.host } : {}),
      ...(channel.accountId ? { accountId: channel.accountId } : {}),
    };
  }
}
