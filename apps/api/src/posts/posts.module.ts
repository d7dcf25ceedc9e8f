import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { MediaModule } from '../media';
import { ApprovalsService } from './approvals.service';
import { BulkPostsService } from './bulk-posts.service';
import { PostEditsService } from './post-edits.service';
import { PostEvents } from './post-events';
import { PostMedia } from './post-media';
import { PostReader } from './post-reader';
import { PostWriter } from './post-writer';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';
import { PostingQuotas } from './posting-quotas';

@Module({
  imports: [ChannelsModule, MediaModule],
  controllers: [PostsController],
  providers: [PostsService, PostReader, PostWriter, BulkPostsService, PostEditsService, ApprovalsService, PostEvents, PostingQuotas, PostMedia],
})
export class PostsModule {}
