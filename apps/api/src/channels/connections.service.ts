/**
 * What every way of connecting ends with: the account becomes a channel of
 * the workspace, or, when the workspace already has it, the same channel is
 * connected again (its id, schedule and slot queue kept, its tokens new, its
 * status active, the deliveries that waited on it sent to Redis again).
 * Tokens are encrypted here, before anything is written.
 */
import { Injectable } from '@nestjs/common';
import { ConnectedAccount, NetworkError } from '@herald/channels';
import { Channel, ChannelConnection, ChannelsRepository, DeliveriesRepository, PostDefaults, PostingScheduleValue, Tenant, TokenCipher } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { BadGateway, Conflict, UnprocessableRequest } from '../common/problems';

export interface ChannelDefaults {
  timezone: string;
  postingSchedule: PostingScheduleValue;
  postDefaults?: PostDefaults;
}

@Injectable()
export class ChannelConnections {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly cipher: TokenCipher,
    private readonly publishQueue: PublishQueue,
  ) {}

  async save(tenant: Tenant, network: string, account: ConnectedAccount, defaults: ChannelDefaults): Promise<{ channel: Channel; reconnected: boolean }> {
    const connection: ChannelConnection = {
      handle: account.handle,
      accessToken: this.cipher.encrypt(account.tokens.accessToken),
      refreshToken: account.tokens.refreshToken ? this.cipher.encrypt(account.tokens.refreshToken) : null,
      tokenExpiresAt: account.tokens.expiresAt ?? null,
      accountId: account.accountId,
      host: account.host ?? null,
      details: account.details ?? {},
    };
    const existing = await this.channels.findAccount(tenant, network, account);
    if (existing) {
      const channel = (await this.channels.reconnect(tenant, existing.id, connection))!;
      // What waited for the channel goes out now rather than at the next sweep.
      const waiting = await this.deliveries.scheduledOn(tenant, channel.id);
      await this.publishQueue.place(waiting.map((row) => ({ deliveryId: row.id, channelId: channel.id, at: row.dueAt })));
      return { channel, reconnected: true };
    }
    try {
      return { channel: await this.channels.insert(tenant, { ...connection, network, ...defaults }), reconnected: false };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new Conflict(`${account.handle} on ${network} is already connected to this workspace`);
      throw error;
    }
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
