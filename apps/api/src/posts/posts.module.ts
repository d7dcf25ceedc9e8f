import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { MediaModule } from '../media';
import { PeopleModule } from '../people';
import { ApprovalMail } from './approval-mail';
import { DeliveryRetiming } from './placement/delivery-retiming';
import { DeliveryTimes } from './placement/delivery-times';
import { PlacementRehearsal } from './placement/placement-rehearsal';
import { PostLocks } from './placement/post-locks';
import { PostPlacement } from './placement/post-placement';
import { PostEvents } from './post-events';
import { PostMedia } from './post-media';
import { PostReader } from './post-reader';
import { PostWriter } from './post-writer';
import { PostingQuotas } from './posting-quotas';
import { PostsController } from './posts.controller';
import { SeriesController } from './series/series.controller';
import { SeriesService } from './series/series.service';
import { ApprovePostUseCase } from './usecases/approve-post.usecase';
import { BulkCreatePostsUseCase } from './usecases/bulk-create-posts.usecase';
import { CancelPostUseCase } from './usecases/cancel-post.usecase';
import { CreatePostUseCase } from './usecases/create-post.usecase';
import { LinkShortener } from './link-shortener';
import { EditPostUseCase } from './usecases/edit-post.usecase';
import { ImportPostsUseCase } from './usecases/import-posts.usecase';
import { RejectPostUseCase } from './usecases/reject-post.usecase';
import { RetryPostUseCase } from './usecases/retry-post.usecase';
import { UnpublishPostUseCase } from './usecases/unpublish-post.usecase';
import { ValidatePostUseCase } from './usecases/validate-post.usecase';

/**
 * Posts: one use case per action (`usecases/`, each `execute(command)`)
 * around one placement core (`placement/`); reads through PostReader.
 * Recurring series (`series/`) are posts made ahead by the worker.
 */
@Module({
  imports: [ChannelsModule, MediaModule, PeopleModule],
  controllers: [PostsController, SeriesController],
  providers: [
    ApprovalMail,
    PostPlacement,
    PlacementRehearsal,
    PostLocks,
    DeliveryTimes,
    DeliveryRetiming,
    PostWriter,
    PostReader,
    PostEvents,
    PostingQuotas,
    PostMedia,
    LinkShortener,
    CreatePostUseCase,
    BulkCreatePostsUseCase,
    EditPostUseCase,
    CancelPostUseCase,
    RetryPostUseCase,
    UnpublishPostUseCase,
    ApprovePostUseCase,
    RejectPostUseCase,
    ValidatePostUseCase,
    ImportPostsUseCase,
    SeriesService,
  ],
  exports: [BulkCreatePostsUseCase],
})
export class PostsModule {}
