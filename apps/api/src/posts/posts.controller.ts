import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, Needs } from '../access';
import { ApiCreated, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Idempotent } from '../common/idempotency.interceptor';
import { Page } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { BulkPostsService } from './bulk-posts.service';
import { ApprovalsService } from './approvals.service';
import { PostEditsService } from './post-edits.service';
import { BulkCreatePostsDto, CreatePostDto, ListPostsQuery, RejectPostDto, UpdatePostDto } from './dto';
import { PostReader } from './post-reader';
import { PostsService } from './posts.service';
import { ApprovedPostSchema, BulkCreateResultSchema, PostSchema } from './schemas';

@ApiTags('Posts')
@Controller('v1/posts')
@UseGuards(AuthGuard)
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly reader: PostReader,
    private readonly bulk: BulkPostsService,
    private readonly edits: PostEditsService,
    private readonly approvals: ApprovalsService,
  ) {}

  @Post('bulk')
  @Needs('posts.write')
  @HttpCode(200)
  @Idempotent()
  @ApiRoute(
    'createPostsInBulk',
    'Create up to 1,000 posts',
    'Each item is a `POST /v1/posts` body, checked on its own: the valid ones are created, the others answered with the problem a single create would give. 200 whatever each item became.',
  )
  @ApiOk(BulkCreateResultSchema, 'One result per item, created or refused')
  createMany(@Auth() auth: AuthContext, @Body() body: BulkCreatePostsDto): Promise<BulkCreateResultSchema> {
    return this.bulk.create(auth, body.posts);
  }

  @Post()
  @Needs('posts.write')
  @Idempotent()
  @ApiRoute(
    'createPost',
    'Create a post',
    'One text for its channels (with per-channel `variants`), media from the library or by URL, and a `schedule`: at an instant or a wall-clock time in a zone, in each channel\'s slot queue (`queue`, `next`), `now`, or a `draft`.',
  )
  @ApiCreated(PostSchema, 'The post, with a delivery per channel')
  @ApiProblems({ 404: 'A channel or a media item is not found (or is in another workspace)', 422: 'The content breaks a channel\'s rules (the error names the channel), the time is past, the zone unknown, a channel disconnected or over its posting quota' })
  create(@Auth() auth: AuthContext, @Body() body: CreatePostDto): Promise<PostSchema> {
    return this.posts.create(auth, body);
  }

  @Get()
  @Needs('posts.read')
  @ApiRoute('listPosts', 'List posts', 'Newest first, with their deliveries (without attempts); `from`/`to` filter on delivery times.')
  @ApiPage(PostSchema)
  list(@Auth() auth: AuthContext, @Query() query: ListPostsQuery): Promise<Page<PostSchema>> {
    return this.reader.list(auth, query);
  }

  @Get(':id')
  @Needs('posts.read')
  @ApiRoute('getPost', 'Get a post', 'With its deliveries and every attempt of each.')
  @ApiOk(PostSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<PostSchema> {
    return this.reader.get(auth, id);
  }

  @Patch(':id')
  @Needs('posts.write')
  @ApiRoute('updatePost', 'Edit a post', 'Text, media, variants or schedule; applies to the deliveries not yet published.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'A delivery is being published, or none is left to edit' }, 422)
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: UpdatePostDto): Promise<PostSchema> {
    return this.edits.update(auth, id, body);
  }

  @Delete(':id')
  @Needs('posts.write')
  @ApiRoute('cancelPost', 'Cancel a post', 'Cancels the deliveries not yet claimed; answers the post as it now is.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'A delivery is being published (nothing changed), or nothing is left to cancel' })
  cancel(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<PostSchema> {
    return this.posts.cancel(auth, id);
  }

  @Post(':id/retry')
  @Needs('posts.write')
  @HttpCode(200)
  @ApiRoute('retryPost', 'Retry the failed deliveries of a post', 'Requeues them now; published deliveries are never sent again.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'A delivery is being published, or none failed', 422: 'A channel to retry on is disconnected or removed' })
  retry(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<PostSchema> {
    return this.posts.retry(auth, id);
  }

  @Post(':id/approve')
  @Needs('posts.approve')
  @HttpCode(200)
  @ApiRoute('approvePost', 'Approve a post awaiting approval', 'Schedules its waiting deliveries as asked, or at the next free slot when the asked time has passed (the notice says so). Owner, admin or editor.')
  @ApiOk(ApprovedPostSchema)
  @ApiProblems(404, { 409: 'The post is not awaiting approval' }, { 422: 'A content rule, a posting quota, a disconnected channel or a queue mode without slots' })
  approve(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string): Promise<ApprovedPostSchema> {
    return this.approvals.approve(auth, id);
  }

  @Post(':id/reject')
  @Needs('posts.approve')
  @HttpCode(200)
  @ApiRoute('rejectPost', 'Reject a post awaiting approval', 'Sends it back to draft with the note, shown on the post until it is submitted again. Owner, admin or editor.')
  @ApiOk(PostSchema)
  @ApiProblems(404, { 409: 'The post is not awaiting approval' })
  reject(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: RejectPostDto): Promise<PostSchema> {
    return this.approvals.reject(auth, id, body.note);
  }
}
