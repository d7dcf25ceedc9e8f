/**
 * `POST /v1/posts/:id/unpublish`: takes a published post back down from its
 * networks (every channel it is out on, or `channelIds`). Here the wish is
 * made durable, in the post's transaction: each published delivery whose
 * network can delete through its API is marked to be unpublished (and the
 * audit log says who asked); the worker then deletes it on the network,
 * every part of a thread, retried until it is gone (see the worker's
 * UnpublisherService). A network whose API cannot delete is reported as
 * `unsupported`, with why; a delivery deleted already as `deleted`; asking
 * again changes nothing.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NETWORK_RULES, Network } from '@herald/channels';
import { ChannelsRepository, Delivery, Executor, Tenant, UnpublishRepository, inTransaction } from '@herald/db';
import { UnpublishQueue } from '@herald/queue';
import { AccessService, AuthContext } from '../../access';
import { AuditLog } from '../../audit';
import { Conflict, UnprocessableRequest } from '../../common/problems';
import { PostReader } from '../post-reader';
import { PostView } from '../post-view';
import { PostLocks } from '../placement/post-locks';

export class UnpublishPostCommand {
  constructor(
    readonly auth: AuthContext,
    readonly postId: string,
    /** Undefined: every channel the post is published on. */
    readonly channelIds: string[] | undefined,
  ) {}
}

/** What unpublish does on one channel: `deleting` (under way), `deleted` (already), `unsupported` (the network's API cannot), `channel_unavailable` (connect it again first). */
export type UnpublishResult = 'deleting' | 'deleted' | 'unsupported' | 'channel_unavailable';

export interface UnpublishChannelView {
  channelId: string;
  network: string;
  result: UnpublishResult;
  /** Why it is not deleted (for `unsupported` and `channel_unavailable`); null otherwise. */
  reason: string | null;
}

export type UnpublishedPostView = PostView & { unpublish: UnpublishChannelView[] };

@Injectable()
export class UnpublishPostUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly channels: ChannelsRepository,
    private readonly unpublishes: UnpublishRepository,
    private readonly queue: UnpublishQueue,
    private readonly reader: PostReader,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async execute({ auth, postId: id, channelIds }: UnpublishPostCommand): Promise<UnpublishedPostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const now = new Date();
    const { results, queued } = await inTransaction(this.dataSource, async (tx) => {
      const { post, deliveries } = await this.locks.lockPost(tenant, id, tx);
      const targets = channelIds ? await this.named(tenant, post.status, deliveries, channelIds, tx) : this.published(id, post.status, deliveries);
      const channels = new Map((await this.channels.among(tenant, targets.map((delivery) => delivery.channelId), tx)).map((channel) => [channel.id, channel]));
      const results: UnpublishChannelView[] = [];
      const wanted: string[] = [];
      for (const delivery of targets) {
        const channel = channels.get(delivery.channelId)!;
        const rules = NETWORK_RULES[channel.network as Network];
        const view = { channelId: delivery.channelId, network: channel.network };
        if (delivery.status === 'deleted') results.push({ ...view, result: 'deleted', reason: null });
        else if (!rules.deletion.supported) results.push({ ...view, result: 'unsupported', reason: rules.deletion.how });
        else if (channel.deletedAt || channel.status === 'disconnected') {
          results.push({ ...view, result: 'channel_unavailable', reason: `The channel is ${channel.deletedAt ? 'removed' : 'disconnected'}: connect it again, then unpublish` });
        } else {
          results.push({ ...view, result: 'deleting', reason: null });
          wanted.push(delivery.id);
        }
      }
      // Those already being unpublished are left as they are (their due time and tries kept).
      const queued = await this.unpublishes.request(tenant, wanted, now, tx);
      if (queued.length > 0) {
        const asked = new Set(queued);
        await this.audit.recordAs(auth, 'post.unpublished', { type: 'post', id }, { channelIds: targets.filter((delivery) => asked.has(delivery.id)).map((delivery) => delivery.channelId) }, tx);
      }
      return { results, queued };
    });
    await this.queue.enqueue(queued, now);
    return { ...(await this.reader.read(tenant, id)), unpublish: results };
  }

  /** Every delivery the post is published (or was, and is deleted) on; 409 when there is none. */
  private published(id: string, status: string, deliveries: Delivery[]): Delivery[] {
    const out = deliveries.filter((delivery) => delivery.status === 'published' || delivery.status === 'deleted');
    if (out.length === 0) throw new Conflict(`Post ${id} is not published on any channel (it is ${status}): there is nothing to unpublish; to stop one still to go out, cancel it`);
    return out;
  }

  /** The deliveries on the named channels: 422 for a channel unknown here or the post is not on, 409 for one it is not published on. */
  private async named(tenant: Tenant, status: string, deliveries: Delivery[], channelIds: string[], tx: Executor): Promise<Delivery[]> {
    const known = new Set((await this.channels.among(tenant, channelIds, tx)).map((channel) => channel.id));
    const errors = channelIds.flatMap((channelId, index) => {
      if (!known.has(channelId)) return [{ path: `channelIds[${index}]`, message: `channel ${channelId} is not a channel of this workspace` }];
      if (!deliveries.some((delivery) => delivery.channelId === channelId)) return [{ path: `channelIds[${index}]`, message: `the post is not on channel ${channelId}` }];
      return [];
    });
    if (errors.length > 0) throw new UnprocessableRequest(errors.map((error) => error.message).join('; '), errors);
    const targets = channelIds.map((channelId) => deliveries.find((delivery) => delivery.channelId === channelId)!);
    const unpublished = targets.filter((delivery) => delivery.status !== 'published' && delivery.status !== 'deleted');
    if (unpublished.length > 0) {
      throw new Conflict(
        `The post (${status}) is not published on ${unpublished.map((delivery) => `channel ${delivery.channelId} (${delivery.status})`).join(', ')}: only a published post can be unpublished`,
      );
    }
    return targets;
  }
}
