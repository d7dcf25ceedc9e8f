import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, ForChannelKeys, Needs } from '../access';
import type { Request } from 'express';
import { ApiBodies, ApiCreated, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { ForAgents } from '../common/for-agents';
import { UnsupportedMediaType } from '../common/problems';
import { Idempotent } from '../common/idempotency.interceptor';
import { Page } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { BulkCreatePostsDto, CreatePostDto, ImportPostsQuery, ListPostsQuery, RejectPostDto, UnpublishPostDto, UpdatePostDto } from './dto';
import { PostReader } from './post-reader';
import { ApprovedPostSchema, BulkCreateResultSchema, CreatedPostSchema, ImportResultSchema, PostSchema, UnpublishedPostSchema } from './schemas';
import { ApprovePostUseCase } from './usecases/approve-post.usecase';
import { BulkCreatePostsUseCase } from './usecases/bulk-create-posts.usecase';
import { CancelPostUseCase } from './usecases/cancel-post.usecase';
import { BulkCreatePostsCommand, CreatePostCommand, EditPostCommand, PostCommand, RejectPostCommand } from './usecases/commands';
import { CreatePostUseCase } from './usecases/create-post.usecase';
import { EditPostUseCase } from './usecases/edit-post.usecase';
import { ImportPostsCommand, ImportPostsUseCase } from './usecases/import-posts.usecase';
import { RejectPostUseCase } from './usecases/reject-post.usecase';
import { RetryPostUseCase } from './usecases/retry-post.usecase';
import { UnpublishPostCommand, UnpublishPostUseCase } from './usecases/unpublish-post.usecase';
import { ValidatePostUseCase } from './usecases/validate-post.usecase';
import { PostValidationSchema } from './validation-schemas';

@ApiTags('Posts')
@Controller('v1/posts')
@UseGuards(AuthGuard)
export class PostsController {
  constructor(
    private readonly reader: PostReader,
    private readonly createPost: CreatePostUseCase,
    private readonly bulkCreatePosts: BulkCreatePostsUseCase,
    private readonly editPost: EditPostUseCase,
    private readonly cancelPost: CancelPostUseCase,
    private readonly retryPost: RetryPostUseCase,
    private readonly approvePost: ApprovePostUseCase,
    private readonly rejectPost: RejectPostUseCase,
    private readonly validatePost: ValidatePostUseCase,
    private readonly importPosts: ImportPostsUseCase,
    private readonly unpublishPost: UnpublishPostUseCase,
  ) {}

  @Post('import')
  @Needs('posts.write')
  @HttpCode(200)
  @ApiRoute(
    'importPosts',
    'Import posts from a CSV file',
    'A `text/csv` file with a header row (`text`, `channels` (ids or handles, `|` between them), `at`, or `local_time` and `timezone`, or `queue`; `media_urls` and `alt_texts`, `|` between them; none of the times makes a draft), up to 10,000 rows or 10 MB, read as it streams. Each row is answered with the checks `POST /v1/posts` makes (`row` 1 is the first data row); `?commit=true` creates the good rows. A row imported before (the same cells) is a `duplicate` and makes nothing: sending the same file twice makes nothing twice.',
  )
  @ApiBodies('A CSV file with a header row', { 'text/csv': { type: 'string', example: 'text,channels,at\n"We are live!",@herald|3f2c0e1a-…,2026-12-24T09:00:00Z\n' } })
  @ApiOk(ImportResultSchema, 'Each row: whether it goes in (or went in), and why not')
  @ApiProblems({ 400: 'Not CSV, or a header without `text` and `channels` or with an unknown column', 409: 'The same rows are being imported by another request', 413: 'More than 10,000 rows or 10 MB', 415: 'Not text/csv' })
  import(@Auth() auth: AuthContext, @Req() request: Request, @Query() query: ImportPostsQuery): Promise<ImportResultSchema> {
    if (!/^text\/csv\s*(;|$)/i.test(request.header('content-type') ?? '')) throw new UnsupportedMediaType('Send the file with "Content-Type: text/csv"');
    return this.importPosts.execute(new ImportPostsCommand(auth, request, query.commit === 'true'));
  }

  @Post('bulk')
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @HttpCode(200)
  @Idempotent()
  @ApiRoute(
    'createPostsInBulk',
    'Create up to 1,000 posts',
    'Each item is a `POST /v1/posts` body, checked on its own: the valid ones are created, the others answered with the problem a single create would give. 200 whatever each item became.',
  )
  @ApiOk(BulkCreateResultSchema, 'One result per item, created or refused')
  createMany(@Auth() auth: AuthContext, @Body() body: BulkCreatePostsDto): Promise<BulkCreateResultSchema> {
    return this.bulkCreatePosts.execute(new BulkCreatePostsCommand(auth, body.posts));
  }

  @Post('validate')
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @HttpCode(200)
  @ForAgents('validate_post')
  @ApiRoute(
    'validatePost',
    'Check a post without creating it (a dry run)',
    'Takes what `POST /v1/posts` takes and answers what creating it would do, per channel: the text\'s count against its limit, the time the delivery would get (queue slots included), the room its posting caps leave, the media Herald would resize, whether it waits for approval, and the problem the create would answer. Nothing is written, no quota taken, URLs not fetched. 200 whether or not the post would be accepted (`ok`).',
  )
  @ApiOk(PostValidationSchema, 'What creating the post would do')
  validate(@Auth() auth: AuthContext, @Body() body: CreatePostDto): Promise<PostValidationSchema> {
    return this.validatePost.execute(new CreatePostCommand(auth, body));
  }

  @Post()
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @Idempotent()
  @ForAgents('create_post')
  @ApiRoute(
    'createPost',
    'Create a post',
    'One text for its channels (with per-channel `variants`), media from the library or by URL, and a `schedule`: at an instant or a wall-clock time in a zone, in each channel\'s slot queue (`queue`, `next`), `now`, or a `draft`.',
  )
  @ApiCreated(CreatedPostSchema, 'The post, with a delivery per channel')
  @ApiProblems({ 404: 'A channel or a media item is not found (or is in another workspace)', 422: 'The content breaks a channel\'s rules (the error names the channel), the time is past, the zone unknown, a channel disconnected or over its posting quota; `links.shorten` with no shortener set up' })
  create(@Auth() auth: AuthContext, @Body() body: CreatePostDto): Promise<CreatedPostSchema> {
    return this.createPost.execute(new CreatePostCommand(auth, body));
  }

  @Get()
  @Needs('posts.read')
  @ForChannelKeys('inside')
  @ForAgents('list_posts', 'list_approvals')
  @ApiRoute('listPosts', 'List posts', 'By when they go out: the latest time first (a post\'s earliest delivery), then posts with no time (drafts) newest first; with their deliveries (without attempts). `status` filters on the post\'s status, `channelId` and `from`/`to` on its deliveries\' channels and times.')
  @ApiPage(PostSchema)
  list(@Auth() auth: AuthContext, @Query() query: ListPostsQuery): Promise<Page<PostSchema>> {
    return this.reader.list(auth, query);
  }

  @Get(':id')
  @Needs('posts.read')
  @ForChannelKeys('inside')
  @ForAgents('get_post')
  @ApiRoute('getPost', 'Get a post', 'With its deliveries and every attempt of each.')
  @ApiOk(PostSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<PostSchema> {
    return this.reader.get(auth, id);
  }

  @Patch(':id')
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @ForAgents('update_post')
  @ApiRoute('updatePost', 'Edit a post', 'Text, media, variants or schedule; applies to the deliveries not yet published.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'A delivery is being published, or none is left to edit' }, 422)
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: UpdatePostDto): Promise<PostSchema> {
    return this.editPost.execute(new EditPostCommand(auth, id, body));
  }

  @Delete(':id')
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @ForAgents('cancel_post')
  @ApiRoute('cancelPost', 'Cancel a post', 'Cancels the deliveries not yet claimed; answers the post as it now is.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'A delivery is being published (nothing changed), or nothing is left to cancel' })
  cancel(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<PostSchema> {
    return this.cancelPost.execute(new PostCommand(auth, id));
  }

  @Post(':id/retry')
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @HttpCode(200)
  @ForAgents('retry_post')
  @ApiRoute('retryPost', 'Retry the failed deliveries of a post', 'Requeues them now; published deliveries are never sent again.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'A delivery is being published, or none failed', 422: 'A channel to retry on is disconnected or removed' })
  retry(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<PostSchema> {
    return this.retryPost.execute(new PostCommand(auth, id));
  }

  @Post(':id/unpublish')
  @Needs('posts.write')
  @ForChannelKeys('inside')
  @HttpCode(200)
  @ForAgents('unpublish_post')
  @ApiRoute(
    'unpublishPost',
    'Unpublish a post: delete it from its networks',
    'Takes the post down from every channel it is published on (or `channelIds`) through each network\'s delete API: every part of a thread, the last first, and a first comment with it. The deletes run in the worker, retried with backoff on transient failures (a post the network says is gone counts as deleted); each delivery then becomes `deleted` and `post.deleted` fires. Answers the post with what happens on each channel: a network whose API cannot delete (Instagram) is `unsupported`, with why. Asking again changes nothing.',
  )
  @ApiOk(UnpublishedPostSchema, 'The post, and what unpublish does on each channel')
  @ApiProblems(404, { 409: 'The post is not published (on a named channel), or a delivery is being published right now', 422: 'A channel is not one of this workspace, or the post is not on it' })
  unpublish(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: UnpublishPostDto = {}): Promise<UnpublishedPostSchema> {
    return this.unpublishPost.execute(new UnpublishPostCommand(auth, id, body?.channelIds));
  }

  @Post(':id/approve')
  @Needs('posts.approve')
  @ForChannelKeys('inside')
  @HttpCode(200)
  @ForAgents('approve_post')
  @ApiRoute('approvePost', 'Approve a post awaiting approval', 'Schedules its waiting deliveries as asked, or at the next free slot when the asked time has passed (the notice says so). Owner, admin or editor.')
  @ApiOk(ApprovedPostSchema)
  @ApiProblems(404, { 409: 'The post is not awaiting approval' }, { 422: 'A content rule, a posting quota, a disconnected channel or a queue mode without slots' })
  approve(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<ApprovedPostSchema> {
    return this.approvePost.execute(new PostCommand(auth, id));
  }

  @Post(':id/reject')
  @Needs('posts.approve')
  @ForChannelKeys('inside')
  @HttpCode(200)
  @ForAgents('reject_post')
  @ApiRoute('rejectPost', 'Reject a post awaiting approval', 'Sends it back to draft with the note, shown on the post until it is submitted again. Owner, admin or editor.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'The post is not awaiting approval' })
  reject(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: RejectPostDto): Promise<PostSchema> {
    return this.rejectPost.execute(new RejectPostCommand(auth, id, body.note));
  }
}
