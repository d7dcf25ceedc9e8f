/**
 * Saved groups of channels ("Client A"): names unique in the workspace, only
 * the workspace's live channels in them (another's ids, or removed ones, are
 * a 422 naming them), each change in the audit log.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelGroup, ChannelGroupsRepository, ChannelsRepository, Executor, Tenant, inTransaction } from '@herald/db';
import { AccessService, AuthContext } from '../../access';
import { AuditLog } from '../../audit';
import { Conflict, NotFound, UnprocessableRequest } from '../../common/problems';
import { CreateChannelGroupDto, UpdateChannelGroupDto } from './dto';

export interface ChannelGroupView {
  id: string;
  name: string;
  channelIds: string[];
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class ChannelGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly groups: ChannelGroupsRepository,
    private readonly channels: ChannelsRepository,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async list(auth: AuthContext): Promise<{ data: ChannelGroupView[] }> {
    return { data: (await this.groups.list(this.access.tenant(auth, 'channels.read'))).map(toView) };
  }

  async create(auth: AuthContext, input: CreateChannelGroupDto): Promise<ChannelGroupView> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const name = input.name.trim();
    return this.named(name, () =>
      inTransaction(this.dataSource, async (tx) => {
        await this.checkChannels(tenant, input.channelIds, tx);
        const id = await this.groups.insert(tenant, name, tx);
        await this.groups.setMembers(tenant, id, input.channelIds, tx);
        const group = (await this.groups.find(tenant, id, tx))!;
        await this.audit.recordAs(auth, 'channel_group.created', { type: 'channel_group', id }, { name, channelIds: group.channelIds }, tx);
        return toView(group);
      }),
    );
  }

  async update(auth: AuthContext, id: string, input: UpdateChannelGroupDto): Promise<ChannelGroupView> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const name = input.name?.trim();
    return this.named(name ?? '', () =>
      inTransaction(this.dataSource, async (tx) => {
        if (!(await this.groups.lock(tenant, id, tx))) throw new NotFound('Channel group', id);
        const before = (await this.groups.find(tenant, id, tx))!;
        if (input.channelIds !== undefined) await this.checkChannels(tenant, input.channelIds, tx);
        if (name !== undefined && name !== before.name) await this.groups.rename(tenant, id, name, tx);
        if (input.channelIds !== undefined) await this.groups.setMembers(tenant, id, input.channelIds, tx);
        const after = (await this.groups.find(tenant, id, tx))!;
        const changes: Record<string, unknown> = {};
        if (after.name !== before.name) changes.name = { from: before.name, to: after.name };
        if (after.channelIds.join() !== before.channelIds.join()) changes.channelIds = { from: before.channelIds, to: after.channelIds };
        if (Object.keys(changes).length > 0) await this.audit.recordAs(auth, 'channel_group.updated', { type: 'channel_group', id }, changes, tx);
        return toView(after);
      }),
    );
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const group = await this.groups.find(tenant, id);
    if (!group || !(await this.groups.remove(tenant, id))) throw new NotFound('Channel group', id);
    await this.audit.recordAs(auth, 'channel_group.deleted', { type: 'channel_group', id }, { name: group.name });
  }

  /** Every id must be a live channel of the workspace: a 422 naming those that are not. */
  private async checkChannels(tenant: Tenant, ids: string[], tx: Executor): Promise<void> {
    const live = new Set((await this.channels.liveAmong(tenant, ids, 'share', tx)).map((channel) => channel.id));
    const unknown = ids.map((channelId, index) => ({ channelId, index })).filter((entry) => !live.has(entry.channelId));
    if (unknown.length > 0) {
      throw new UnprocessableRequest(
        `No channel of this workspace has the id ${unknown.map((entry) => entry.channelId).join(', ')}`,
        unknown.map((entry) => ({ path: `channelIds[${entry.index}]`, message: 'is not a channel of this workspace' })),
      );
    }
  }

  /** A name another group of the workspace has is a 409. */
  private async named<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new Conflict(`The workspace already has a channel group named "${name}"`);
      throw error;
    }
  }
}

function toView(group: ChannelGroup): ChannelGroupView {
  return { id: group.id, name: group.name, channelIds: group.channelIds, createdAt: group.createdAt.toISOString(), updatedAt: group.updatedAt.toISOString() };
}
