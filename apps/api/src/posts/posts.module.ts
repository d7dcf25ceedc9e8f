import { Module } from '@nestjs/common';
import { urlPolicyProvider } from '../common/url-policy.provider';
import { BulkPostsService } from './bulk-posts.service';
import { PostReader } from './post-reader';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

@Module({
  controllers: [PostsController],
  providers: [
    PostsService,
    PostReader,
    BulkPostsService,
    urlPolicyProvider,
  ],
})
export class PostsModule {}
