import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ChannelAdapterRegistry, Network, NetworkError } from '@herald/channels';
import { Channel, TokenCipher, lockPosts, refreshPostStatuses } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { isValidTimeZone, normalizePostingSchedule, validatePostingSchedule } from '@herald/scheduling';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { BadGateway, Conflict, FieldError, NotFound, UnprocessableRequest } from '../common/problems';
import { ChannelQueue } from './channel-queue';
import { ChannelView, toChannelView } from './channel-view';
import { CreateChannelDto, UpdateChannelDto } from './dto';

/** Connected accounts: connect, list, change their zone, schedule and status, remove. */
@Injectable()
export class ChannelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly publishQueue: PublishQueue,
    private readonly cipher: TokenCipher,
  ) {}

  async create(workspaceId: string, input: CreateChannelDto): Promise<ChannelView> {
    const timezone = input.timezone ?? 'UTC';
    const postingSchedule = input.postingSchedule ?? { slots: [] };
    this.checkZoneAndSchedule(timezone, postingSchedule);
    const network = input.network as Network;
    const accessToken = input.accessToken ?? (await this.connect(network, input.handle));
    try {
      const channel = await this.dataSource.manager.save(
        this.dataSource.manager.create(Channel, {
          workspaceId,
          network,
          handle: input.handle,
          timezone,
          postingSchedule: normalizePostingSchedule(postingSchedule),
          status: 'active',
          accessToken: this.cipher.encrypt(accessToken),
          deletedAt: null,
        }),
      );
      return toChannelView(channel);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new Conflict(`${input.handle} on ${network} is already connected to this workspace`);
      }
      throw error;
    }
  }

  async list(workspaceId: string, limit = 50, cursor?: string): Promise<Page<ChannelView>> {
    const after = decodeCursor(cursor);
    const query = this.dataSource.manager
      .createQueryBuilder(Channel, 'c')
      .where('c.workspace_id = :workspaceId AND c.deleted_at IS NULL', { workspaceId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(limit + 1);
    if (after) query.andWhere('(c.created_at, c.id) < (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
    return toPage(await query.getMany(), limit, toChannelView);
  }

  async get(workspaceId: string, id: string): Promise<ChannelView> {
    return toChannelView(await this.find(this.dataSource.manager, workspaceId, id));
  }

  async update(workspaceId: string, id: string, input: UpdateChannelDto): Promise<ChannelView> {
    const current = await this.find(this.dataSource.manager, workspaceId, id);
    this.checkZoneAndSchedule(input.timezone ?? current.timezone, input.postingSchedule ?? current.postingSchedule);
    // Reconnecting a disconnected channel needs a fresh token before anything is written.
    const reconnecting = input.status === 'active' && current.status === 'disconnected';
    const freshToken = input.accessToken ?? (reconnecting ? await this.connect(current.network as Network, current.handle) : undefined);

    const now = new Date();
    const { channel, moves } = await this.dataSource.transaction(async (manager) => {
      const locked = await this.find(manager, workspaceId, id, true);
      const retime = input.timezone !== undefined || input.postingSchedule !== undefined;
      if (input.timezone !== undefined) locked.timezone = input.timezone;
      if (input.postingSchedule !== undefined) locked.postingSchedule = normalizePostingSchedule(input.postingSchedule);
      if (input.status !== undefined) locked.status = input.status;
      if (freshToken !== undefined) locked.accessToken = this.cipher.encrypt(freshToken);
      const saved = await manager.save(locked);
      // The queue keeps its order and takes the slots of the new zone or schedule.
      const moves = retime ? await this.retimeQueue(manager, saved, now) : [];
      return { channel: saved, moves };
    });
    await this.publishQueue.place(moves, undefined, now);
    if (channel.status === 'active' && current.status !== 'active') await this.requeue(channel.id);
    return toChannelView(channel);
  }

  /** Removes the channel; its deliveries not yet claimed are cancelled, its history stays. */
  async remove(workspaceId: string, id: string): Promise<void> {
    const cancelled = await this.dataSource.transaction(async (manager) => {
      await this.find(manager, workspaceId, id, true);
      await manager.query(`UPDATE channels SET deleted_at = now(), updated_at = now() WHERE id = $1`, [id]);
      const affected: { post_id: string }[] = await manager.query(
        `SELECT DISTINCT post_id FROM deliveries WHERE channel_id = $1 AND status IN ('draft', 'scheduled')`,
        [id],
      );
      await lockPosts(
        manager,
        affected.map((row) => row.post_id),
      );
      const rows: { id: string; post_id: string }[] = await manager.query(
        `UPDATE deliveries SET status = 'cancelled', due_at = NULL, updated_at = now()
          WHERE channel_id = $1 AND status IN ('draft', 'scheduled') RETURNING id, post_id`,
        [id],
      );
      await refreshPostStatuses(
        manager,
        rows.map((row) => row.post_id),
      );
      return rows.map((row) => row.id);
    });
    await this.publishQueue.place(cancelled.map((deliveryId) => ({ deliveryId, at: null })));
  }

  async find(manager: EntityManager, workspaceId: string, id: string, lock = false): Promise<Channel> {
    const channel = await manager.findOne(Channel, {
      where: { id, workspaceId, deletedAt: IsNull() },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
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

  private async retimeQueue(manager: EntityManager, channel: Channel, now: Date): Promise<{ deliveryId: string; at: Date }[]> {
    const queue = new ChannelQueue(manager, channel, now);
    const queued = await queue.queued();
    if (queued.length > 0 && channel.postingSchedule.slots.length === 0) {
      throw new UnprocessableRequest(`Channel ${channel.id} has ${queued.length} queued posts: keep at least one slot, or reschedule them first`, [
        { path: 'postingSchedule.slots', message: 'must not be empty while posts are queued' },
      ]);
    }
    return queue.retime(queued.map((row) => row.id));
  }

  /** A resumed channel's scheduled work goes back to Redis now rather than at the next sweep. */
  private async requeue(channelId: string): Promise<void> {
    const rows: { id: string; due_at: Date }[] = await this.dataSource.query(
      `SELECT id, due_at FROM deliveries WHERE channel_id = $1 AND status = 'scheduled'`,
      [channelId],
    );
    await this.publishQueue.place(rows.map((row) => ({ deliveryId: row.id, at: row.due_at })));
  }
}
