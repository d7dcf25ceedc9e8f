import { Module } from '@nestjs/common';
import { PostsModule } from '../posts';
import { FeedPoll } from './feed-poll';
import { FeedPoller } from './feed-poller';
import { FeedsController } from './feeds.controller';
import { FeedsService } from './feeds.service';

/** Feeds: followed for a set of channels, polled by FeedPoller, each new item a post through the posts module's bulk use case. */
@Module({
  imports: [PostsModule],
  controllers: [FeedsController],
  providers: [FeedsService, FeedPoll, FeedPoller],
})
export class FeedsModule {}
