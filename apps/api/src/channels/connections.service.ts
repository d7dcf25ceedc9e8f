/**
 * What every way of connecting ends with: the account becomes a channel of
 * the workspace, or, when the workspace already has it, the same channel is
 * connected again (its id, schedule and slot queue kept, its tokens new, its
 * status active, the deliveries that waited on it sent to Redis again).
 * Tokens are encrypted here, before anything is written; the connection is
 * in the audit log, in the same transaction, as the work of `by`.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectedAccount, NetworkError } from '@herald/channels';
import { Channel, ChannelConnection, ChannelsRepository, DeliveriesRepository, PostDefaults, PostingScheduleValue, Tenant, TokenCipher, WorkspacesRepository, inTransaction, Executor } from '@herald/db';
import { ChannelProfiles } from '@herald/media';
import { PublishQueue } from '@herald/queue';
import { AuditActor, AuditLog } from '../audit';
import { BadGateway, Conflict, UnprocessableRequest } from '../common/problems';
import { defaultPostingSchedule } from './channel-defaults';

/** What a new channel starts with; a zone or schedule left out is the workspace's zone and the default schedule (channel-defaults.ts). */
export interface ChannelDefaults {
  timezone?: string;
  postingSchedule?: PostingScheduleValue;
  postDefaults?: PostDefaults;
}

/** Who connects: the request's actor and address, or, at an OAuth callback, whoever started the flow. */
export interface ConnectedBy {
  actor: AuditActor;
  ip?: string;
}

@Injectable()
export class ChannelConnections {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly channels: ChannelsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly cipher: TokenCipher,
    private readonly publishQueue: PublishQueue,
    private readonly workspaces: WorkspacesRepository,
    private readonly profiles: ChannelProfiles,
  ) {}

  /**
   * The account becomes a channel, or the channel it already is (matched by
   * the network's account id, so a renamed account is the same channel) is
   * connected again with the handle and name the network gives it now; its
   * avatar is then fetched and kept (a failure there leaves it without one).
   */
  async save(tenant: Tenant, network: string, account: ConnectedAccount, defaults: ChannelDefaults, by: ConnectedBy): Promise<{ channel: Channel; reconnected: boolean }> {
    const connection: ChannelConnection = {
      handle: account.handle,
      accessToken: this.cipher.encrypt(account.tokens.accessToken),
      refreshToken: account.tokens.refreshToken ? this.cipher.encrypt(account.tokens.refreshToken) : null,
      tokenExpiresAt: account.tokens.expiresAt ?? null,
      accountId: account.accountId,
      host: account.host ?? null,
      details: account.details ?? {},
      displayName: account.displayName ?? null,
    };
    const saved = await inTransaction(this.dataSource, async (tx) => {
      const existing = await this.channels.findAccount(tenant, network, account, tx);
      const channel = existing
        ? (await this.channels.reconnect(tenant, existing.id, connection, tx))!
        : await this.channels.insert(tenant, { ...connection, network, ...(await this.startingWith(tenant, defaults, tx)) }, tx);
      const action = existing ? 'channel.reconnected' : 'channel.connected';
      await this.audit.record(tenant, by.actor, action, { type: 'channel', id: channel.id }, { network, handle: channel.handle }, { ip: by.ip, on: tx });
      return { channel, reconnected: existing !== undefined };
    }).catch((error: unknown) => {
      if ((error as { code?: string }).code === '23505') throw new Conflict(`${account.handle} on ${network} is already connected to this workspace`);
      throw error;
    });
    if (saved.reconnected) {
      // What waited for the channel goes out now rather than at the next sweep.
      const waiting = await this.deliveries.scheduledOn(tenant, saved.channel.id);
      await this.publishQueue.place(waiting.map((row) => ({ deliveryId: row.id, channelId: saved.channel.id, at: row.dueAt })));
    }
    if (account.avatarUrl !== undefined) await this.profiles.keepAvatar(tenant, saved.channel.id, { avatarUrl: account.avatarUrl });
    return { channel: (await this.channels.find(tenant, saved.channel.id)) ?? saved.channel, reconnected: saved.reconnected };
  }

  private async startingWith(tenant: Tenant, defaults: ChannelDefaults, tx: Executor) {
    const timezone = defaults.timezone ?? (await this.workspaces.find(tenant, tx))?.timezone ?? 'UTC';
    return {
      timezone,
      postingSchedule: defaults.postingSchedule ?? defaultPostingSchedule(),
      scheduleIsDefault: defaults.postingSchedule === undefined,
      ...(defaults.postDefaults ? { postDefaults: defaults.postDefaults } : {}),
    };
  }
}

/** A network's answer while connecting, in the API's words: its refusal a 422 naming why, its absence a 502. */
export function connectProblem(network: string, error: unknown): Error {
  if (!(error instanceof NetworkError)) return error instanceof Error ? error : new Error(String(error));
  if (error.errorClass === 'transient' || error.errorClass === 'rate_limited') {
    return new BadGateway(`Could not reach ${network} to connect the account: ${error.message}`);
  }
  return new UnprocessableRequest(`${network} did not connect the account: ${error.message}`, [{ path: 'network', message: `${network} refused (${error.code})` }]);
}
