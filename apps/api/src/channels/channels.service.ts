import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry, ConnectedAccount, Network, UrlPolicy } from '@herald/channels';
import { Channel, ChannelAvatar, ChannelLinks, ChannelAvatarsRepository, ChannelGroupsRepository, ChannelsRepository, DeliveriesRepository, Executor, PostStatuses, Tenant, TokenCipher, inTransaction } from '@herald/db';
import { ChannelProfiles } from '@herald/media';
import { PublishQueue } from '@herald/queue';
import { isValidTimeZone, normalizePostingSchedule, validatePostingSchedule } from '@herald/scheduling';
import { AccessService, AuthContext } from '../access';
import { AuditLog } from '../audit';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { FieldError, NotFound, UnprocessableRequest } from '../common/problems';
import { ChannelView, toChannelView } from './channel-view';
import { parseChannelOptions } from '../common/network-options';
import { ChannelConnections, connectProblem } from './connections.service';
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
    private readonly connections: ChannelConnections,
    private readonly urls: UrlPolicy,
    private readonly audit: AuditLog,
    private readonly groups: ChannelGroupsRepository,
    private readonly avatars: ChannelAvatarsRepository,
    private readonly profiles: ChannelProfiles,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  /** Reads the account's name, handle and avatar from its network now. 502 when the network cannot be reached, 422 when it refuses. */
  async refreshProfile(auth: AuthContext, id: string): Promise<ChannelView> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const channel = await this.find(tenant, id);
    try {
      return toChannelView(await this.profiles.refresh(tenant, channel));
    } catch (error) {
      throw profileProblem(channel.network, error);
    }
  }

  /** The kept avatar (whoever may read the channel may see it); 404 when none is kept. */
  async avatar(auth: AuthContext, id: string): Promise<ChannelAvatar> {
    const tenant = this.access.tenant(auth, 'channels.read');
    await this.find(tenant, id);
    const avatar = await this.avatars.find(tenant, id);
    if (!avatar) throw new NotFound('Avatar of channel', id);
    return avatar;
  }

  /** A changed zone or schedule is in the audit log, each as what it was and what it is. */
  private async auditRetiming(auth: AuthContext, before: Channel, after: Channel, tx: Executor): Promise<void> {
    const subject = { type: 'channel', id: after.id };
    if (before.timezone !== after.timezone) {
      await this.audit.recordAs(auth, 'channel.timezone_changed', subject, { from: before.timezone, to: after.timezone }, tx);
    }
    if (JSON.stringify(before.postingSchedule.slots) !== JSON.stringify(after.postingSchedule.slots)) {
      await this.audit.recordAs(auth, 'channel.schedule_changed', subject, { from: before.postingSchedule.slots, to: after.postingSchedule.slots }, tx);
    }
  }

  /**
   * Connects an account without a browser: Bluesky with its handle and an
   * app password; any network with a token the person made elsewhere (on
   * Mastodon with its instance), which Herald checks with the network.
   * OAuth networks otherwise connect through POST /v1/channels/connect.
   */
  async create(auth: AuthContext, input: CreateChannelDto): Promise<{ channel: ChannelView; reconnected: boolean }> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    // Left out: the workspace's zone and the default schedule (channel-defaults.ts).
    this.checkZoneAndSchedule(input.timezone ?? 'UTC', input.postingSchedule ?? { slots: [] });
    const network = input.network as Network;
    checkPostDefaults(network, input.postDefaults);
    const account = await this.accountFor(network, input);
    const { channel, reconnected } = await this.connections.save(tenant, network, account, {
      ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
      ...(input.postingSchedule !== undefined ? { postingSchedule: normalizePostingSchedule(input.postingSchedule) } : {}),
      postDefaults: input.postDefaults ? definedFields(input.postDefaults) : {},
    }, { actor: auth.actor, ip: auth.address });
    return { channel: toChannelView(channel), reconnected };
  }

  /** Who the credentials given are for, as the network says. */
  private async accountFor(network: Network, input: CreateChannelDto & { accessToken?: string }): Promise<ConnectedAccount> {
    const hostOf = (url: string | undefined, field: 'service' | 'instanceUrl') => (url === undefined ? undefined : this.allowedHost(url, field));
    try {
      if (network === 'bluesky') {
        if (!input.handle || !input.appPassword) {
          throw new UnprocessableRequest('Bluesky connects with the account\'s handle and an app password', [
            { path: input.handle ? 'appPassword' : 'handle', message: 'is required for bluesky' },
          ]);
        }
        return await this.adapters.bluesky.connect({ handle: input.handle, appPassword: input.appPassword, service: hostOf(input.service, 'service') });
      }
      const verifier = this.adapters.kit(network).verifier;
      if (!input.accessToken || !verifier) {
        throw new UnprocessableRequest(`${network} connects through POST /v1/channels/connect (OAuth), or with an accessToken made for it`, [
          { path: 'accessToken', message: `is required to connect ${network} here` },
        ]);
      }
      if (network === 'mastodon' && !input.instanceUrl) {
        throw new UnprocessableRequest('A Mastodon token needs its instance', [{ path: 'instanceUrl', message: 'is required for mastodon' }]);
      }
      return await verifier.verify(input.accessToken, hostOf(input.instanceUrl, 'instanceUrl'));
    } catch (error) {
      if (error instanceof UnprocessableRequest) throw error;
      throw connectProblem(network, error);
    }
  }

  /** A host a person typed (a PDS, an instance): its origin, if Herald may call it (the URL policy, or one of this installation's networks). */
  private allowedHost(url: string, field: string): string {
    const origin = new URL(url).origin;
    const refusal = this.adapters.options.endpoints.knownHosts?.includes(origin) ? undefined : this.urls.refusal(origin);
    if (refusal) throw new UnprocessableRequest(`${field} ${refusal}`, [{ path: field, message: refusal }]);
    return origin;
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
    checkPostDefaults(current.network, input.postDefaults);
    const networkOptions = input.networkOptions !== undefined ? this.channelOptions(current, input.networkOptions) : undefined;
    if (input.links?.shorten && !this.config.linkShortener) {
      throw new UnprocessableRequest('This Herald has no link shortener configured (LINK_SHORTENER): the channel cannot shorten its links', [
        { path: 'links.shorten', message: 'no link shortener is configured' },
      ]);
    }
    // A disconnected channel comes back with new credentials only: a token here, or the connect flow.
    if (input.status === 'active' && current.status === 'disconnected' && input.accessToken === undefined) {
      throw new UnprocessableRequest(`Channel ${id} is disconnected: connect it again (POST /v1/channels/connect, or send accessToken)`, [
        { path: 'status', message: 'a disconnected channel needs new credentials' },
      ]);
    }
    const fresh = input.accessToken !== undefined ? await this.verified(current, input.accessToken) : undefined;

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
          // A field left out keeps its value.
          postDefaults: input.postDefaults !== undefined ? { ...current.postDefaults, ...definedFields(input.postDefaults) } : undefined,
          staleAfterSeconds: input.staleAfterSeconds,
          evergreenMinRepeatDays: input.evergreenMinRepeatDays,
          networkOptions,
          links: input.links !== undefined ? channelLinksOf(input.links) : undefined,
          status: input.status,
          accessToken: fresh !== undefined ? this.cipher.encrypt(fresh.tokens.accessToken) : undefined,
        },
        tx,
      ))!;
      // The slot queue keeps its order and takes the slots of the new zone or schedule.
      const moves = retime ? await this.retimeQueue(tenant, saved, now, tx) : [];
      await this.auditRetiming(auth, current, saved, tx);
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
      const channel = await this.find(tenant, id, tx);
      await this.channels.remove(tenant, id, tx);
      await this.groups.dropChannel(tenant, id, tx);
      await this.audit.recordAs(auth, 'channel.removed', { type: 'channel', id }, { network: channel.network, handle: channel.handle }, tx);
      // Posts first, then their deliveries: the lock order every writer keeps.
      const affected = await this.deliveries.postsUnclaimedOn(tenant, id, tx);
      await this.postStatuses.lock(tenant, affected, tx);
      const rows = await this.deliveries.cancelUnclaimedOn(tenant, id, tx);
      await this.postStatuses.refresh(
        tenant,
        rows.map((row) => row.postId),
        tx,
      );
      return rows.map((row) => ({ deliveryId: row.id, channelId: id, at: null }));
    });
    await this.publishQueue.place(cancelled);
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

  /** A pasted token for this channel: it must be for the same account. */
  private async verified(channel: Channel, accessToken: string): Promise<ConnectedAccount> {
    const network = channel.network as Network;
    const verifier = this.adapters.kit(network).verifier;
    if (!verifier) throw new UnprocessableRequest(`${network} channels are connected again through their own flow`, [{ path: 'accessToken', message: `is not taken for ${network}` }]);
    let account: ConnectedAccount;
    try {
      account = await verifier.verify(accessToken, channel.host ?? undefined);
    } catch (error) {
      throw connectProblem(network, error);
    }
    if (channel.accountId && account.accountId !== channel.accountId) {
      throw new UnprocessableRequest(`This token is for another ${network} account (${account.handle})`, [{ path: 'accessToken', message: 'is for another account' }]);
    }
    return account;
  }

  private async retimeQueue(tenant: Tenant, channel: Channel, now: Date, tx: Executor): Promise<{ deliveryId: string; channelId: string; at: Date }[]> {
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
  /**
   * A channel's own network options (all of them, replacing what it had):
   * only those its network lets a channel default, each of the right shape
   * (400), and each one the channel can use (422: a Pinterest board it does
   * not have), judged by its network as a post's are.
   */
  private channelOptions(channel: Channel, raw: Record<string, unknown>): Record<string, unknown> {
    const options = parseChannelOptions(channel.network, raw);
    const refused = this.adapters
      .get(channel.network as Network)
      .validate({ text: '', media: [], options }, channel.details)
      .filter((violation) => violation.field !== undefined);
    if (refused.length > 0) {
      throw new UnprocessableRequest(refused.map((violation) => violation.message).join('; '), refused.map((violation) => ({ path: `networkOptions.${violation.field!}`, message: violation.message })));
    }
    return options;
  }

  private async requeue(tenant: Tenant, channelId: string): Promise<void> {
    const rows = await this.deliveries.scheduledOn(tenant, channelId);
    await this.publishQueue.place(rows.map((row) => ({ deliveryId: row.id, channelId, at: row.dueAt })));
  }
}

/** A network's answer while reading a profile, in the API's words (as when connecting). */
function profileProblem(network: string, error: unknown): Error {
  return connectProblem(network, error);
}

/** Post defaults are Mastodon's (visibility, language): another network's channel has none to set. */
function checkPostDefaults(network: string, defaults: object | undefined): void {
  if (defaults !== undefined && network !== 'mastodon') {
    throw new UnprocessableRequest(`${network} channels take no postDefaults (Mastodon's visibility and language)`, [{ path: 'postDefaults', message: 'is for mastodon channels' }]);
  }
}

/** The fields of a DTO that were given (a field left out is undefined on the transformed instance). */
function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/** The links settings as stored: the fields given, nothing else. */
function channelLinksOf(links: UpdateChannelDto['links'] & object): ChannelLinks {
  return { ...(links.utm !== undefined ? { utm: links.utm } : {}), ...(links.shorten !== undefined ? { shorten: links.shorten } : {}) };
}
