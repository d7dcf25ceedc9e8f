import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { UrlPolicy } from '@herald/channels';
import { Tenant, inTransaction } from '@herald/db';
import { Timing } from '@herald/queue';
import { AccessService } from '../../access';
import { FieldError, Problem } from '../../common/problems';
import { flatten } from '../../common/validation';
import { CreatePostDto } from '../dto';
import { PostEvents, submitted } from '../post-events';
import { LinkShortener, ShortLinksReport } from '../link-shortener';
import { PostMedia } from '../post-media';
import { NewPost, PostAuthor, PostWriter, awaitsApproval, timingsOf } from '../post-writer';
import { PostingQuotas, QuotaLedger } from '../posting-quotas';
import { isPerChannel } from '../schedule-resolver';
import { DeliveryTimes } from '../placement/delivery-times';
import { PostLocks } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { PlacementRequest } from '../placement/placement-check';
import { BulkCreatePostsCommand } from './commands';

interface ItemProblem {
  title: string;
  detail: string;
  errors?: FieldError[];
}

/** Created (with the new post's id: GET it for the details), or the problem that item has. */
export type BulkItemResult = { index: number; status: 201; id: string; shortLinks?: ShortLinksReport } | { index: number; status: number; problem: ItemProblem };

const CHUNK = 100;

/**
 * `POST /v1/posts/bulk`: each post is validated on its own; the valid ones
 * are placed in one transaction per chunk of 100 (see `createChunk`: the
 * placement core's steps, batched), then put in Redis with one `addBulk`
 * per chunk. Every item gets its own result.
 */
@Injectable()
export class BulkCreatePostsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly placement: PostPlacement,
    private readonly locks: PostLocks,
    private readonly times: DeliveryTimes,
    private readonly writer: PostWriter,
    private readonly access: AccessService,
    private readonly quotas: PostingQuotas,
    private readonly postMedia: PostMedia,
    private readonly urls: UrlPolicy,
    private readonly events: PostEvents,
    private readonly shortener: LinkShortener,
  ) {}

  async execute({ auth, items, keep }: BulkCreatePostsCommand): Promise<{ data: BulkItemResult[]; created: number; failed: number }> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const author = this.placement.authorOf(auth);
    const results: BulkItemResult[] = [];
    const valid: { index: number; input: PlacementRequest }[] = [];
    const reports = new Map<number, ShortLinksReport>();
    for (const [index, item] of items.entries()) {
      const problem = await shapeProblem(item);
      if (problem) {
        results.push({ index, status: 400, problem });
        continue;
      }
      const input = plainToInstance(CreatePostDto, item);
      try {
        // Each item's media found in (or imported into) the library, and its links shortened when asked, before its checks, as a single create does.
        const { request, report } = await this.shortener.shorten(tenant, await this.postMedia.resolveRequest(tenant, input, this.urls));
        valid.push({ index, input: request });
        if (report) reports.set(index, report);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        results.push(failedItem(index, error));
      }
    }
    for (let start = 0; start < valid.length; start += CHUNK) {
      results.push(...(await this.createChunk(tenant, valid.slice(start, start + CHUNK), author, keep)));
    }
    results.sort((a, b) => a.index - b.index);
    const created = results.filter((result) => result.status === 201).length;
    const data = results.map((result) => (result.status === 201 && reports.has(result.index) ? { ...result, shortLinks: reports.get(result.index)! } : result));
    return { data, created, failed: results.length - created };
  }

  /**
   * One transaction: the chunk's channels are locked once; fixed-time posts
   * are written together in one statement; a queued post first flushes the
   * ones before it (it must see their slots as taken), then takes its slots
   * under a savepoint, so a queue that turns out to have no schedule rolls
   * back that item alone. Posts submitted for approval (a contributor's)
   * take no slot, and their webhook events are recorded with them.
   */
  private async createChunk(tenant: Tenant, chunk: { index: number; input: PlacementRequest }[], author: PostAuthor, keep?: BulkCreatePostsCommand['keep']): Promise<BulkItemResult[]> {
    const now = new Date();
    const { results, created, moved, webhooks } = await inTransaction(this.dataSource, async (tx) => {
      const queued = !author.awaitsApproval && chunk.some(({ input }) => isPerChannel(input.schedule));
      const channels = await this.locks.lockChannels(tenant, chunk.flatMap(({ input }) => input.channelIds), queued ? 'update' : 'share', tx);
      const capped = this.quotas.capped(channels.values());
      await this.quotas.lock(tenant, capped, tx);
      // The chunk's own posts count against its channels' caps as they are accepted.
      const ledger = new QuotaLedger();
      const results: BulkItemResult[] = [];
      const created: NewPost[] = [];
      const moved: Timing[] = [];
      let pending: { index: number; post: NewPost }[] = [];
      const flush = async () => {
        if (capped.length > 0 && pending.length > 0) {
          // The pending posts' quotas in one read per channel and cap, then each in order.
          const refused = await this.quotas.admitAll(
            tenant,
            pending.map(({ post }) => post),
            ledger,
            tx,
          );
          for (const { index, post } of pending) {
            const problem = refused.get(post.id);
            if (problem) results.push(failedItem(index, problem));
          }
          pending = pending.filter(({ post }) => !refused.has(post.id));
        }
        await this.writer.insert(
          tenant,
          author.actor,
          pending.map(({ post }) => post),
          tx,
          author.address,
        );
        for (const { index, post } of pending) results.push({ index, status: 201, id: post.id });
        created.push(...pending.map(({ post }) => post));
        pending = [];
      };
      for (const { index, input } of chunk) {
        try {
          const post = this.placement.check(input, channels, author, now);
          if (!isPerChannel(input.schedule)) {
            pending.push({ index, post });
            continue;
          }
          await flush();
          // A nested transaction is a savepoint: a queue with no schedule rolls back this item alone.
          const slotsMoved = await tx.transaction(async (item) => {
            const taken = await this.times.takeSlots(tenant, post, input.schedule, now, item);
            if (capped.length > 0) await this.quotas.admit(tenant, post, ledger, item);
            await this.writer.insert(tenant, author.actor, [post], item, author.address);
            return taken;
          });
          moved.push(...slotsMoved);
          created.push(post);
          results.push({ index, status: 201, id: post.id });
        } catch (error) {
          if (!(error instanceof Problem)) throw error;
          results.push(failedItem(index, error));
        }
      }
      await flush();
      if (keep) await keep(results.flatMap((result) => ('id' in result ? [{ index: result.index, postId: result.id }] : [])), tx);
      const submissions = created.filter(awaitsApproval).map((post) => submitted(post.id, author.actor));
      const webhooks = submissions.length > 0 ? await this.events.record(tenant, submissions, tx) : [];
      return { results, created, moved, webhooks };
    });
    await this.placement.enqueue({ created: timingsOf(created), moved, webhooks }, author.requestId, now);
    for (const post of created) {
      const media = post.content.parts ? post.content.parts.flatMap((part) => part.media) : post.content.media;
      if (media.length > 0) await this.postMedia.prepare(tenant, media, post.deliveries.map((delivery) => delivery.channel.network));
    }
    return results;
  }
}

/** An item's result when a rule refused it. */
function failedItem(index: number, problem: Problem): BulkItemResult {
  return { index, status: problem.status, problem: { title: problem.title, detail: problem.message, ...(problem.errors ? { errors: problem.errors } : {}) } };
}

/** The same checks the single create's ValidationPipe makes, for one item. */
export async function shapeProblem(item: unknown): Promise<ItemProblem | undefined> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { title: 'Malformed request', detail: 'each post must be a JSON object', errors: [{ path: '', message: 'must be an object' }] };
  }
  const errors = flatten(await validate(plainToInstance(CreatePostDto, item), { whitelist: true, forbidNonWhitelisted: true }));
  if (errors.length === 0) return undefined;
  return { title: 'Malformed request', detail: errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors };
}
