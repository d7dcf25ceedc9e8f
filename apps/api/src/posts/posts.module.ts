import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { MediaModule } from '../media';
import { BulkPostsService } from './bulk-posts.service';
import { PostMedia } from './post-media';
import { PostReader } from './post-reader';
import { PostWriter } from './post-writer';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';
import { PostingQuotas } from './posting-quotas';

@Module({
  imports: [ChannelsModule, MediaModule],
  controllers: [PostsController],
  providers: [PostsService, PostReader, PostWriter, BulkPostsService, PostingQuotas, PostMedia],
})
export class PostsModule {}
