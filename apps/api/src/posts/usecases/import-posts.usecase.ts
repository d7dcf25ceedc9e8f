/**
 * `POST /v1/posts/import`: a CSV file (see csv-import.ts) answered row by
 * row with the checks a create makes (its shape, its media URLs, then the
 * placement core's check: time, channels, each channel's rules), and, with
 * `?commit=true`, the good rows created through the bulk use case (the same
 * placement core, chunk by chunk), each row's key written in the
 * transaction that writes its post: the same file again makes nothing.
 */
import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { UrlPolicy } from '@herald/channels';
import { Channel, ChannelsRepository, PostImportRowsRepository, Tenant } from '@herald/db';
import { AccessService, AuthContext } from '../../access';
import { Conflict, Problem } from '../../common/problems';
import { CreatePostDto } from '../dto';
import { PostMedia } from '../post-media';
import { PostPlacement } from '../placement/post-placement';
import { CsvRow, RowRequest, readCsvRows, requestOf } from '../csv-import';
import type { ImportResultSchema, ImportRowSchema } from '../schemas';
import { BulkCreatePostsUseCase, shapeProblem } from './bulk-create-posts.usecase';
import { BulkCreatePostsCommand } from './commands';

export class ImportPostsCommand {
  constructor(
    readonly auth: AuthContext,
    readonly body: Readable,
    readonly commit: boolean,
  ) {}
}

const CHANNEL_PAGE = 500;

@Injectable()
export class ImportPostsUseCase {
  constructor(
    private readonly access: AccessService,
    private readonly channels: ChannelsRepository,
    private readonly importRows: PostImportRowsRepository,
    private readonly placement: PostPlacement,
    private readonly postMedia: PostMedia,
    private readonly urls: UrlPolicy,
    private readonly bulkCreate: BulkCreatePostsUseCase,
  ) {}

  async execute({ auth, body, commit }: ImportPostsCommand): Promise<ImportResultSchema> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const rows = await readCsvRows(body);
    const channels = await this.channelsOf(tenant);
    const known = await this.importRows.known(tenant, [...new Set(rows.map((row) => row.hash))]);
    const author = this.placement.authorOf(auth);
    const now = new Date();
    const seen = new Set<string>();
    const answers: ImportRowSchema[] = [];
    const good: { answer: ImportRowSchema; row: CsvRow; input: CreatePostDto }[] = [];
    for (const row of rows) {
      if (known.has(row.hash) || seen.has(row.hash)) {
        answers.push({ row: row.row, ok: false, status: 'duplicate', problems: [], deliveries: [] });
        continue;
      }
      seen.add(row.hash);
      const checked = await this.check(tenant, row, channels, author, now);
      const answer: ImportRowSchema = { row: row.row, ok: checked.problems.length === 0, status: checked.problems.length === 0 ? 'new' : 'refused', problems: checked.problems, deliveries: checked.deliveries };
      answers.push(answer);
      if (checked.input) good.push({ answer, row, input: checked.input });
    }
    let created = 0;
    if (commit && good.length > 0) created = await this.create(auth, tenant, good);
    const count = (status: ImportRowSchema['status']) => answers.filter((answer) => answer.status === status).length;
    return {
      rows: answers,
      summary: {
        rows: answers.length,
        ok: answers.filter((answer) => answer.ok).length,
        failed: count('refused'),
        duplicates: count('duplicate'),
        created,
        committed: commit,
      },
    };
  }

  /** The good rows made into posts; each created row's key kept with its post, a row refused at placement (a slot, a quota) says why. */
  private async create(auth: AuthContext, tenant: Tenant, good: { answer: ImportRowSchema; row: CsvRow; input: CreatePostDto }[]): Promise<number> {
    const keep = async (made: { index: number; postId: string }[], tx: Parameters<NonNullable<BulkCreatePostsCommand['keep']>>[1]) => {
      const written = await this.importRows.record(tenant, made.map(({ index, postId }) => ({ hash: good[index]!.row.hash, postId })), tx);
      if (written.length < made.length) throw new Conflict('The same rows are being imported by another request: send the file again once it is done (nothing is made twice)');
    };
    const result = await this.bulkCreate.execute(new BulkCreatePostsCommand(auth, good.map(({ input }) => input), keep));
    for (const item of result.data) {
      const { answer } = good[item.index]!;
      if ('id' in item) {
        answer.status = 'created';
        answer.postId = item.id;
      } else {
        answer.ok = false;
        answer.status = 'refused';
        answer.problems.push(item.problem.detail);
      }
    }
    return result.created;
  }

  /** One row through the checks a create makes, in its order; every problem found, in words naming the cell or the channel. */
  private async check(
    tenant: Tenant,
    row: CsvRow,
    channels: ChannelIndex,
    author: ReturnType<PostPlacement['authorOf']>,
    now: Date,
  ): Promise<{ problems: string[]; deliveries: ImportRowSchema['deliveries']; input?: CreatePostDto }> {
    const { request, problems } = requestOf(row);
    if (!request) return { problems, deliveries: [] };
    const channelIds = resolveChannels(channels, request, problems);
    if (problems.length > 0) return { problems, deliveries: [] };
    const input = {
      text: request.text,
      channelIds,
      schedule: request.schedule,
      ...(request.media ? { media: request.media } : {}),
      ...(request.tags ? { tags: request.tags } : {}),
      ...(request.firstComment ? { firstComment: request.firstComment } : {}),
    } as CreatePostDto;
    const shape = await shapeProblem(input);
    if (shape) return { problems: shape.errors?.map((error) => `${error.path}: ${error.message}`) ?? [shape.detail], deliveries: [] };
    try {
      const request = await this.postMedia.resolveRequest(tenant, input, this.urls, { importUrls: false });
      const post = this.placement.check(request, channels.byId, author, now);
      const deliveries = post.deliveries.map((delivery) => ({ channelId: delivery.channel.id, network: delivery.channel.network, at: delivery.at?.toISOString() ?? null }));
      return { problems: [], deliveries, input };
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      return { problems: wordsOf(error), deliveries: [] };
    }
  }

  /** The workspace's live channels, by id and by handle. */
  private async channelsOf(tenant: Tenant): Promise<ChannelIndex> {
    const all: Channel[] = [];
    for (let after: Channel | undefined; ; ) {
      const page = await this.channels.page(tenant, after && { createdAt: after.createdAt, id: after.id }, CHANNEL_PAGE);
      all.push(...page);
      if (page.length < CHANNEL_PAGE) break;
      after = page[page.length - 1];
    }
    const byId = new Map(all.map((channel) => [channel.id, channel]));
    const byHandle = new Map<string, Channel[]>();
    for (const channel of all) {
      const handle = bareHandle(channel.handle);
      byHandle.set(handle, [...(byHandle.get(handle) ?? []), channel]);
    }
    return { byId, byHandle };
  }
}

interface ChannelIndex {
  byId: Map<string, Channel>;
  byHandle: Map<string, Channel[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bareHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

/** Each reference as a channel id: an id as given, a handle (with or without `@`) when exactly one channel has it. */
function resolveChannels(channels: ChannelIndex, request: RowRequest, problems: string[]): string[] {
  const ids: string[] = [];
  for (const ref of request.channelRefs) {
    if (UUID.test(ref)) {
      ids.push(ref.toLowerCase());
      continue;
    }
    const found = channels.byHandle.get(bareHandle(ref)) ?? [];
    if (found.length === 1) ids.push(found[0]!.id);
    else if (found.length === 0) problems.push(`channels: no channel of this workspace has the handle "${ref.slice(0, 100)}"`);
    else problems.push(`channels: ${found.length} channels have the handle "${ref.slice(0, 100)}" (${found.map((channel) => channel.network).join(', ')}): name it by its id`);
  }
  return [...new Set(ids)];
}

/** A Problem as the row's words: each field error (path and message), or its detail. */
function wordsOf(problem: Problem): string[] {
  if (problem.errors && problem.errors.length > 0 && problem.status !== 422) return problem.errors.map((error) => `${error.path}: ${error.message}`);
  return [problem.message];
}
