import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { BulkPostsService } from './bulk-posts.service';
import { PostReader } from './post-reader';
import { PostWriter } from './post-writer';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';
import { PostingQuotas } from './posting-quotas';

@Module({
  imports: [ChannelsModule],
  controllers: [PostsController],
  providers: [PostsService, PostReader, PostWriter, BulkPostsService, PostingQuotas],
})
export class PostsModule {}
