import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry, Network, NetworkError } from '@herald/channels';
import { Channel, ChannelsRepository, DeliveriesRepository, Executor, PostStatuses, Tenant, TokenCipher, inTransaction } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { isValidTimeZone, normalizePostingSchedule, validatePostingSchedule } from '@herald/scheduling';
import { AccessService, AuthContext } from '../access';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { BadGateway, Conflict, FieldError, NotFound, UnprocessableRequest } from '../common/problems';
import { ChannelView, toChannelView } from './channel-view';
import { CreateChannelDto, UpdateChannelDto } from './dto';
import { SlotQueues } from './slot-queue';

/** Connected accounts: connect, list, change their zone, schedule and status, remove. */
@Injectable()
export class ChannelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly postStatuses: PostStatuses,
    private readonly slotQueues: SlotQueues,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly publishQueue: PublishQueue,
    private readonly cipher: TokenCipher,
    private readonly access: AccessService,
  ) {}

  async create(auth: AuthContext, input: CreateChannelDto): Promise<ChannelView> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const timezone = input.timezone ?? 'UTC';
    const postingSchedule = input.postingSchedule ?? { slots: [] };
    this.checkZoneAndSchedule(timezone, postingSchedule);
    const network = input.network as Network;
    const accessToken = input.accessToken ?? (await this.connect(network, input.handle));
    try {
      const channel = await this.channels.insert(tenant, {
        network,
        handle: input.handle,
        timezone,
        postingSchedule: normalizePostingSchedule(postingSchedule),
        accessToken: this.cipher.encrypt(accessToken),
      });
      return toChannelView(channel);
    } catch (error) {
      if ((error as { driverError?: { code?: string }; code?: string }).driverError?.code === '23505' || (error as { code?: string }).code === '23505') {
        throw new Conflict(`${input.handle} on ${network} is already connected to this workspace`);
      }
      throw error;
    }
  }

  async list(auth: AuthContext, limit = 50, cursor?: string): Promise<Page<ChannelView>> {
    const rows = await this.channels.page(this.access.tenant(auth, 'channels.read'), decodeCursor(cursor), limit);
    return toPage(rows, limit, toChannelView);
  }

  async get(auth: AuthContext, id: string): Promise<ChannelView> {
    return toChannelView(await this.find(this.access.tenant(auth, 'channels.read'), id));
  }

  async update(auth: AuthContext, id: string, input: UpdateChannelDto): Promise<ChannelView> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const current = await this.find(tenant, id);
    this.checkZoneAndSchedule(input.timezone ?? current.timezone, input.postingSchedule ?? current.postingSchedule);
    // Reconnecting a disconnected channel needs a fresh token before anything is written.
    const reconnecting = input.status === 'active' && current.status === 'disconnected';
    const freshToken = input.accessToken ?? (reconnecting ? await this.connect(current.network as Network, current.handle) : undefined);

    const now = new Date();
    const { channel, moves } = await inTransaction(this.dataSource, async (tx) => {
      await this.find(tenant, id, tx);
      const retime = input.timezone !== undefined || input.postingSchedule !== undefined;
      const saved = (await this.channels.update(
        tenant,
        id,
        {
          timezone: input.timezone,
          postingSchedule: input.postingSchedule !== undefined ? normalizePostingSchedule(input.postingSchedule) : undefined,
          status: input.status,
          accessToken: freshToken !== undefined ? this.cipher.encrypt(freshToken) : undefined,
        },
        tx,
      ))!;
      // The slot queue keeps its order and takes the slots of the new zone or schedule.
      const moves = retime ? await this.retimeQueue(tenant, saved, now, tx) : [];
      return { channel: saved, moves };
    });
    await this.publishQueue.place(moves, undefined, now);
    if (channel.status === 'active' && current.status !== 'active') await this.requeue(tenant, channel.id);
    return toChannelView(channel);
  }

  /** Removes the channel; its deliveries not yet claimed are cancelled, its history stays. */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const cancelled = await inTransaction(this.dataSource, async (tx) => {
      await this.find(tenant, id, tx);
      await this.channels.remove(tenant, id, tx);
      // Posts first, then their deliveries: the lock order every writer keeps.
      const affected = await this.deliveries.postsUnclaimedOn(tenant, id, tx);
      await this.postStatuses.lock(tenant, affected, tx);
      const rows = await this.deliveries.cancelUnclaimedOn(tenant, id, tx);
      await this.postStatuses.refresh(
        tenant,
        rows.map((row) => row.postId),
        tx,
      );
      return rows.map((row) => row.id);
    });
    await this.publishQueue.place(cancelled.map((deliveryId) => ({ deliveryId, at: null })));
  }

  /** A live channel of the workspace; with `tx`, row-locked for that transaction. 404 otherwise. */
  async find(tenant: Tenant, id: string, tx?: Executor): Promise<Channel> {
    const channel = await this.channels.find(tenant, id, { lock: tx !== undefined, on: tx });
    if (!channel) throw new NotFound('Channel', id);
    return channel;
  }

  private checkZoneAndSchedule(timezone: string, postingSchedule: unknown): void {
    const errors: FieldError[] = [];
    if (!isValidTimeZone(timezone)) errors.push({ path: 'timezone', message: `"${timezone}" is not an IANA time zone` });
    for (const error of validatePostingSchedule(postingSchedule)) {
      errors.push({ path: `postingSchedule${error.path ? `.${error.path}` : ''}`, message: error.message });
    }
    if (errors.length > 0) throw new UnprocessableRequest(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  }

  private async connect(network: Network, handle: string): Promise<string> {
    try {
      return (await this.adapters.get(network).connect(handle)).accessToken;
    } catch (error) {
      const reason = error instanceof NetworkError ? error.message : String(error);
      throw new BadGateway(`Could not connect ${handle} on ${network}: ${reason}`);
    }
  }

  private async retimeQueue(tenant: Tenant, channel: Channel, now: Date, tx: Executor): Promise<{ deliveryId: string; at: Date }[]> {
    const queue = this.slotQueues.of(tenant, channel, now, tx);
    const queued = await queue.queued();
    if (queued.length > 0 && channel.postingSchedule.slots.length === 0) {
      throw new UnprocessableRequest(`Channel ${channel.id} has ${queued.length} queued posts: keep at least one slot, or reschedule them first`, [
        { path: 'postingSchedule.slots', message: 'must not be empty while posts are queued' },
      ]);
    }
    return queue.retime(queued.map((row) => row.id));
  }

  /** A resumed channel's scheduled work goes back to Redis now rather than at the next sweep. */
  private async requeue(tenant: Tenant, channelId: string): Promise<void> {
    const rows = await this.deliveries.scheduledOn(tenant, channelId);
    await this.publishQueue.place(rows.map((row) => ({ deliveryId: row.id, at: row.dueAt })));
  }
}
