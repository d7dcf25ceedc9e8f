import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { AuthGuard, Auth, AuthContext } from '../access';
import { Idempotent } from '../common/idempotency.interceptor';
import { ParseIdPipe } from '../common/uuid.pipe';
import { BulkPostsService } from './bulk-posts.service';
import { ApprovalsService } from './approvals.service';
import { PostEditsService } from './post-edits.service';
import { BulkCreatePostsDto, CreatePostDto, ListPostsQuery, RejectPostDto, UpdatePostDto } from './dto';
import { PostReader } from './post-reader';
import { PostsService } from './posts.service';

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
  @HttpCode(200)
  @Idempotent()
  createMany(@Auth() auth: AuthContext, @Body() body: BulkCreatePostsDto) {
    return this.bulk.create(auth, body.posts);
  }

  @Post()
  @Idempotent()
  create(@Auth() auth: AuthContext, @Body() body: CreatePostDto) {
    return this.posts.create(auth, body);
  }

  @Get()
  list(@Auth() auth: AuthContext, @Query() query: ListPostsQuery) {
    return this.reader.list(auth, query);
  }

  @Get(':id')
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string) {
    return this.reader.get(auth, id);
  }

  @Patch(':id')
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: UpdatePostDto) {
    return this.edits.update(auth, id, body);
  }

  @Delete(':id')
  cancel(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string) {
    return this.posts.cancel(auth, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  retry(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string) {
    return this.posts.retry(auth, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string) {
    return this.approvals.approve(auth, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Post')) id: string, @Body() body: RejectPostDto) {
    return this.approvals.reject(auth, id, body.note);
  }
}
