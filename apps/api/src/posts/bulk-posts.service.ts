import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { PublishQueue, Timing } from '@herald/queue';
import { FieldError, Problem } from '../common/problems';
import { flatten } from '../common/validation';
import { CreatePostDto } from './dto';
import { PostsService } from './posts.service';

interface ItemProblem {
  title: string;
  detail: string;
  errors?: FieldError[];
}

/** Created (with the new post's id: GET it for the details), or the problem that item has. */
export type BulkItemResult = { index: number; status: 201; id: string } | { index: number; status: number; problem: ItemProblem };

const CHUNK = 100;

/**
 * `POST /v1/posts/bulk`: each post is validated on its own; the valid ones
 * are written in one transaction per chunk of 100 (a post that breaks a rule
 * inside the transaction is rolled back to its savepoint, alone), then put in
 * Redis with one `addBulk` per chunk. Every item gets its own result.
 */
@Injectable()
export class BulkPostsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostsService,
    private readonly publishQueue: PublishQueue,
  ) {}

  async create(workspaceId: string, items: unknown[], requestId?: string): Promise<{ data: BulkItemResult[]; created: number; failed: number }> {
    const results: BulkItemResult[] = [];
    const valid: { index: number; input: CreatePostDto }[] = [];
    for (const [index, item] of items.entries()) {
      const problem = await shapeProblem(item);
      if (problem) results.push({ index, status: 400, problem });
      else valid.push({ index, input: plainToInstance(CreatePostDto, item) });
    }
    for (let start = 0; start < valid.length; start += CHUNK) {
      results.push(...(await this.createChunk(workspaceId, valid.slice(start, start + CHUNK), requestId)));
    }
    results.sort((a, b) => a.index - b.index);
    const created = results.filter((result) => result.status === 201).length;
    return { data: results, created, failed: results.length - created };
  }

  private async createChunk(workspaceId: string, chunk: { index: number; input: CreatePostDto }[], requestId?: string): Promise<BulkItemResult[]> {
    const now = new Date();
    const outcomes = await this.dataSource.transaction(async (manager) => {
      const done: ({ index: number; postId: string; timed: Timing[] } | BulkItemResult)[] = [];
      for (const { index, input } of chunk) {
        await manager.query('SAVEPOINT bulk_item');
        try {
          const { postId, timed } = await this.posts.insert(manager, workspaceId, input, requestId, now);
          await manager.query('RELEASE SAVEPOINT bulk_item');
          done.push({ index, postId, timed });
        } catch (error) {
          if (!(error instanceof Problem)) throw error;
          await manager.query('ROLLBACK TO SAVEPOINT bulk_item');
          done.push({ index, status: error.status, problem: { title: error.title, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) } });
        }
      }
      return done;
    });
    await this.publishQueue.place(
      outcomes.flatMap((outcome) => ('timed' in outcome ? outcome.timed : [])),
      requestId,
      now,
    );
    return outcomes.map((outcome) => ('postId' in outcome ? { index: outcome.index, status: 201 as const, id: outcome.postId } : outcome));
  }
}

/** The same checks the single create's ValidationPipe makes, for one item. */
async function shapeProblem(item: unknown): Promise<ItemProblem | undefined> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { title: 'Malformed request', detail: 'each post must be a JSON object', errors: [{ path: '', message: 'must be an object' }] };
  }
  const errors = flatten(await validate(plainToInstance(CreatePostDto, item), { whitelist: true, forbidNonWhitelisted: true }));
  if (errors.length === 0) return undefined;
  return { title: 'Malformed request', detail: errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors };
}
