/** What each post use case is asked: who asks (their AuthContext) and what, as a command object. */
import { Executor } from '@herald/db';
import { AuthContext } from '../../access';
import { CreatePostDto, UpdatePostDto } from '../dto';

export class CreatePostCommand {
  constructor(
    readonly auth: AuthContext,
    readonly input: CreatePostDto,
  ) {}
}

export class BulkCreatePostsCommand {
  constructor(
    readonly auth: AuthContext,
    /** Each item as received: checked one by one, as a single create would be. */
    readonly items: unknown[],
    /**
     * Called in each chunk's transaction with the items it created (by index),
     * before it commits: what a caller writes with the posts (an import's row
     * keys), or a Problem that rolls the chunk back.
     */
    readonly keep?: (created: { index: number; postId: string }[], tx: Executor) => Promise<void>,
  ) {}
}

export class EditPostCommand {
  constructor(
    readonly auth: AuthContext,
    readonly postId: string,
    readonly input: UpdatePostDto,
  ) {}
}

/** Approve, cancel, retry: one post, nothing else asked. */
export class PostCommand {
  constructor(
    readonly auth: AuthContext,
    readonly postId: string,
  ) {}
}

export class RejectPostCommand {
  constructor(
    readonly auth: AuthContext,
    readonly postId: string,
    readonly note: string,
  ) {}
}
