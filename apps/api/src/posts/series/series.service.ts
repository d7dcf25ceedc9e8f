/**
 * Recurring series (PRODUCT.md section 13): created, read, edited from the
 * next occurrence on, paused, resumed and deleted here; their occurrences
 * are made ahead by the worker (apps/worker/src/series). An edit, a pause
 * and a delete withdraw the occurrences made for after now (their
 * unclaimed deliveries cancelled, their jobs removed, their occurrence time
 * freed) under the series' row lock, which the worker's expansion takes
 * too, so the two never cross.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, Executor, PostStatuses, PostsRepository, SeriesRepository, SeriesRow, Tenant, inTransaction } from '@herald/db';
import { Timing } from '@herald/queue';
import { CompiledRecurrence, InvalidRuleError, InvalidTimeError, compileRecurrence, parseInstant } from '@herald/scheduling';
import { AccessService, AuthContext } from '../../access';
import { AuditLog } from '../../audit';
import { MalformedRequest, NotFound, UnprocessableRequest } from '../../common/problems';
import { parseVariants } from '../content-check';
import { normaliseTags } from '../dto';
import { pickChannels } from '../placement/placement-check';
import { PostLocks, UNCLAIMED } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { CreateSeriesDto, PreviewSeriesDto, UpdateSeriesDto } from './dto';

/** How many next occurrences a series shows, whatever the horizon. */
const SHOWN = 10;
/** A little slack for the request's travel before `startAt` counts as past. */
const PAST_TOLERANCE_MS = 1000;

export interface SeriesPreview {
  summary: string;
  nextOccurrences: string[];
}

export interface SeriesView extends SeriesPreview {
  id: string;
  status: SeriesRow['status'];
  text: string;
  variants: Record<string, string>;
  channelIds: string[];
  tags: string[];
  evergreen: boolean;
  rule: string;
  timezone: string;
  startAt: string;
  until: string | null;
  count: number | null;
  expandedUntil: string;
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class SeriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly series: SeriesRepository,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly postStatuses: PostStatuses,
    private readonly locks: PostLocks,
    private readonly placement: PostPlacement,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  /** A rule in words and its next occurrences, for a form before anything is saved. */
  preview(auth: AuthContext, input: PreviewSeriesDto): SeriesPreview {
    this.access.tenant(auth, 'posts.read');
    const now = new Date();
    const recurrence = recurrenceOf(input.rule, input.timezone, instantOf(input.startAt, 'startAt') ?? now, instantOf(input.until, 'until'), input.count ?? null);
    return { summary: recurrence.describe(), nextOccurrences: recurrence.next(new Date(now.getTime() - 1), SHOWN).map((at) => at.toISOString()) };
  }

  async list(auth: AuthContext): Promise<{ data: SeriesView[] }> {
    const now = new Date();
    return { data: (await this.series.list(this.access.tenant(auth, 'posts.read'))).map((row) => toView(row, now)) };
  }

  async get(auth: AuthContext, id: string): Promise<SeriesView> {
    const row = await this.series.find(this.access.tenant(auth, 'posts.read'), id);
    if (!row) throw new NotFound('Series', id);
    return toView(row, new Date());
  }

  async create(auth: AuthContext, input: CreateSeriesDto): Promise<SeriesView> {
    const tenant = this.access.tenant(auth, 'posts.publish');
    const now = new Date();
    const startAt = instantOf(input.startAt, 'startAt') ?? now;
    if (startAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new UnprocessableRequest(`startAt ${startAt.toISOString()} is in the past`, [{ path: 'startAt', message: 'is in the past' }]);
    }
    const recurrence = recurrenceOf(input.rule, input.timezone, startAt, instantOf(input.until, 'until'), input.count ?? null);
    const variants = parseVariants(input.variants);
    await this.checkContent(tenant, input.channelIds, input.text, variants);
    const row = await inTransaction(this.dataSource, async (tx) => {
      const created = await this.series.insert(
        tenant,
        auth.actor,
        {
          text: input.text,
          variants,
          channelIds: input.channelIds.map((id) => id.toLowerCase()),
          tags: normaliseTags(input.tags) ?? [],
          evergreen: input.evergreen ?? false,
          rule: recurrence.rule,
          timezone: input.timezone,
          startAt,
          until: recurrence.until,
          count: input.count ?? null,
          // The occurrence at startAt itself is one to make.
          expandedUntil: new Date(startAt.getTime() - 1),
        },
        tx,
      );
      await this.audit.recordAs(auth, 'series.created', { type: 'series', id: created.id }, { rule: created.rule, timezone: created.timezone, channelIds: created.channel_ids }, tx);
      return created;
    });
    return toView(row, now);
  }

  /** From the next occurrence on: what was made ahead is withdrawn and made again by the worker, with the new content and rule. */
  async update(auth: AuthContext, id: string, input: UpdateSeriesDto): Promise<SeriesView> {
    const tenant = this.access.tenant(auth, 'posts.publish');
    const now = new Date();
    const before = await this.series.find(tenant, id);
    if (!before) throw new NotFound('Series', id);
    const rule = input.rule ?? before.rule;
    const timezone = input.timezone ?? before.timezone;
    const until = input.until !== undefined ? instantOf(input.until, 'until') : before.until;
    const count = input.count ?? before.count;
    const recurrence = recurrenceOf(rule, timezone, before.start_at, until, count);
    const text = input.text ?? before.text;
    const variants = input.variants !== undefined ? parseVariants(input.variants) : before.variants;
    const channelIds = input.channelIds?.map((channelId) => channelId.toLowerCase()) ?? before.channel_ids;
    await this.checkContent(tenant, channelIds, text, variants);
    const { row, withdrawn } = await inTransaction(this.dataSource, async (tx) => {
      const locked = await this.series.findLocked(tenant, id, tx);
      if (!locked) throw new NotFound('Series', id);
      const withdrawn = await this.withdrawFuture(tenant, id, now, tx);
      const updated = await this.series.update(
        tenant,
        id,
        {
          text,
          variants,
          channelIds,
          tags: normaliseTags(input.tags) ?? locked.tags,
          evergreen: input.evergreen ?? locked.evergreen,
          rule: recurrence.rule,
          timezone,
          until: recurrence.until,
          count,
          expandedUntil: laterOf(now, new Date(locked.start_at.getTime() - 1)),
        },
        tx,
      );
      await this.audit.recordAs(auth, 'series.edited', { type: 'series', id }, { fields: Object.keys(input), withdrawn: withdrawn.length }, tx);
      return { row: updated, withdrawn };
    });
    await this.placement.enqueue({ moved: withdrawn }, auth.requestId, now);
    return toView(row, now);
  }

  /** Paused: the occurrences made for after now are withdrawn, and none is made until resumed. */
  async pause(auth: AuthContext, id: string): Promise<SeriesView> {
    return this.setStatus(auth, id, 'paused');
  }

  /** Resumed: occurrences are made again from now on (none of the paused time). */
  async resume(auth: AuthContext, id: string): Promise<SeriesView> {
    return this.setStatus(auth, id, 'active');
  }

  /** Deleted: the occurrences made for after now are withdrawn; the published ones stay (no longer of a series). */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'posts.publish');
    const now = new Date();
    const withdrawn = await inTransaction(this.dataSource, async (tx) => {
      if (!(await this.series.findLocked(tenant, id, tx))) throw new NotFound('Series', id);
      const withdrawn = await this.withdrawFuture(tenant, id, now, tx);
      await this.series.remove(tenant, id, tx);
      await this.audit.recordAs(auth, 'series.deleted', { type: 'series', id }, { withdrawn: withdrawn.length }, tx);
      return withdrawn;
    });
    await this.placement.enqueue({ moved: withdrawn }, auth.requestId, now);
  }

  private async setStatus(auth: AuthContext, id: string, status: 'active' | 'paused'): Promise<SeriesView> {
    const tenant = this.access.tenant(auth, 'posts.publish');
    const now = new Date();
    const { row, withdrawn } = await inTransaction(this.dataSource, async (tx) => {
      const locked = await this.series.findLocked(tenant, id, tx);
      if (!locked) throw new NotFound('Series', id);
      if (locked.status === 'ended' && status === 'active') throw new UnprocessableRequest(`Series ${id} has ended: it has no occurrence left`, [{ path: 'status', message: 'the series has ended' }]);
      if (locked.status === status) return { row: locked, withdrawn: [] as Timing[] };
      const withdrawn = status === 'paused' ? await this.withdrawFuture(tenant, id, now, tx) : [];
      const updated = await this.series.setStatus(tenant, id, status, laterOf(now, new Date(locked.start_at.getTime() - 1)), tx);
      await this.audit.recordAs(auth, status === 'paused' ? 'series.paused' : 'series.resumed', { type: 'series', id }, { withdrawn: withdrawn.length }, tx);
      return { row: updated, withdrawn };
    });
    await this.placement.enqueue({ moved: withdrawn }, auth.requestId, now);
    return toView(row, now);
  }

  /** The channels must be the workspace's and connected, the content must pass each one's rules (the same checks as a post). */
  private async checkContent(tenant: Tenant, channelIds: string[], text: string, variants: Record<string, string>): Promise<void> {
    const channels = await this.locks.lockChannels(tenant, channelIds, 'none');
    this.placement.checkContent(pickChannels(channels, channelIds), { text, media: [], variants });
  }

  /**
   * The series' occurrences after `now` that no worker has claimed: their
   * deliveries cancelled and their occurrence time freed (for the series to
   * make again); answers the cancelled deliveries (for Redis, after the commit).
   */
  private async withdrawFuture(tenant: Tenant, seriesId: string, now: Date, tx: Executor): Promise<Timing[]> {
    const postIds = await this.posts.futureOccurrences(tenant, seriesId, now, tx);
    if (postIds.length === 0) return [];
    await this.postStatuses.lock(tenant, postIds, tx);
    const cancelled: Timing[] = [];
    const detached: string[] = [];
    for (const postId of postIds) {
      const deliveries = await this.deliveries.ofPostLocked(tenant, postId, tx);
      // One being published right now keeps its post (and its occurrence): it happens once, as made.
      if (deliveries.some((delivery) => !UNCLAIMED.includes(delivery.status) && delivery.status !== 'cancelled')) continue;
      const open = deliveries.filter((delivery) => UNCLAIMED.includes(delivery.status));
      await this.deliveries.cancel(
        tenant,
        open.map((delivery) => delivery.id),
        tx,
      );
      cancelled.push(...open.map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channelId, at: null })));
      detached.push(postId);
    }
    await this.posts.detachOccurrences(tenant, detached, tx);
    await this.postStatuses.refresh(tenant, detached, tx);
    return cancelled;
  }
}

function laterOf(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** An instant a request gives (400 when it is not one), or undefined when it gives none. */
function instantOf(value: string | undefined, path: string): Date | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInstant(value);
  } catch (error) {
    if (error instanceof InvalidTimeError) throw new MalformedRequest(`${path}: ${error.message}`, [{ path, message: error.message }]);
    throw error;
  }
}

/** The recurrence compiled, or a 422 naming the field that makes it none. */
function recurrenceOf(rule: string, timezone: string, startAt: Date, until: Date | null | undefined, count: number | null): CompiledRecurrence {
  try {
    return compileRecurrence({ rule, timezone, startAt, until: until ?? null, count });
  } catch (error) {
    if (error instanceof InvalidRuleError) throw new UnprocessableRequest(error.message, [{ path: error.field, message: error.message }]);
    throw error;
  }
}

export function toView(row: SeriesRow, now: Date): SeriesView {
  let summary = '';
  let next: Date[] = [];
  try {
    const recurrence = compileRecurrence({ rule: row.rule, timezone: row.timezone, startAt: row.start_at, until: row.until, count: row.count });
    summary = recurrence.describe();
    if (row.status === 'active') next = recurrence.next(laterOf(new Date(now.getTime()), new Date(row.start_at.getTime() - 1)), SHOWN);
  } catch {
    // A rule stored before a check it now fails: shown, never expanded (the worker ends it).
  }
  return {
    id: row.id,
    // An active series with no occurrence left to come has ended.
    status: row.status === 'active' && next.length === 0 && summary !== '' ? 'ended' : row.status,
    text: row.text,
    variants: row.variants,
    channelIds: row.channel_ids,
    tags: row.tags,
    evergreen: row.evergreen,
    rule: row.rule,
    timezone: row.timezone,
    startAt: row.start_at.toISOString(),
    until: row.until?.toISOString() ?? null,
    count: row.count,
    expandedUntil: row.expanded_until.toISOString(),
    summary,
    nextOccurrences: next.map((at) => at.toISOString()),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
