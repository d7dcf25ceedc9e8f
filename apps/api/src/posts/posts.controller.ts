import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, RequestId, WorkspaceId } from '../common/auth';
import { Idempotent } from '../common/idempotency.interceptor';
import { ParseIdPipe } from '../common/uuid.pipe';
import { BulkPostsService } from './bulk-posts.service';
import { BulkCreatePostsDto, CreatePostDto, ListPostsQuery, UpdatePostDto } from './dto';
import { PostReader } from './post-reader';
import { PostsService } from './posts.service';

@Controller('v1/posts')
@UseGuards(ApiKeyGuard)
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly reader: PostReader,
    private readonly bulk: BulkPostsService,
  ) {}

  @Post('bulk')
  @HttpCode(200)
  @Idempotent()
  createMany(@WorkspaceId() workspaceId: string, @Body() body: BulkCreatePostsDto, @RequestId() requestId?: string) {
    return this.bulk.create(workspaceId, body.posts, requestId);
  }

  @Post()
  @Idempotent()
  create(@WorkspaceId() workspaceId: string, @Body() body: CreatePostDto, @RequestId() requestId?: string) {
    return this.posts.create(workspaceId, body, requestId);
  }

  @Get()
  list(@WorkspaceId() workspaceId: string, @Query() query: ListPostsQuery) {
    return this.reader.list(workspaceId, query);
  }

  @Get(':id')
  get(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Post')) id: string) {
    return this.reader.get(workspaceId, id);
  }

  @Patch(':id')
  update(
    @WorkspaceId() workspaceId: string,
    @Param('id', new ParseIdPipe('Post')) id: string,
    @Body() body: UpdatePostDto,
    @RequestId() requestId?: string,
  ) {
    return this.posts.update(workspaceId, id, body, requestId);
  }

  @Delete(':id')
  cancel(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Post')) id: string) {
    return this.posts.cancel(workspaceId, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  retry(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Post')) id: string, @RequestId() requestId?: string) {
    return this.posts.retry(workspaceId, id, requestId);
  }
}
