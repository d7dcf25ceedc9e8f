import { Module } from '@nestjs/common';
import { HeraldConfigModule, heraldLoggerModule } from '@herald/config';
import { ChannelAdaptersModule } from '@herald/channels/channel-adapters.module';
import { DatabaseModule } from '@herald/db';
import { MediaLibraryModule } from '@herald/media';
import { MediaSweeper } from './media/media-sweeper';
import { AccountReader } from './analytics/account-reader';
import { SnapshotScheduler } from './analytics/snapshot-scheduler';
import { SnapshotTaker } from './analytics/snapshot-taker';
import { PublishMedia } from './publish/publish-media';
import { HeraldQueueModule } from '@herald/queue';
import { WorkerMetrics } from './metrics/worker-metrics';
import { OutcomeRecorder } from './publish/outcome-recorder';
import { DeliveryClaims } from './publish/delivery-claims';
import { PublishWorkers } from './publish/publish-workers';
import { PublisherService } from './publish/publisher.service';
import { HostGate } from './publish/host-gate';
import { ReconcileProcessor } from './reconcile/reconcile.processor';
import { ReconcilerService } from './reconcile/reconciler.service';
import { SeriesExpander } from './series/series-expander';
import { EvergreenRecycler } from './evergreen/evergreen-recycler';
import { WebhookProcessor } from './webhooks/webhook.processor';
import { ChannelTokens } from './tokens/channel-tokens.service';
import { WebhookSender } from './webhooks/webhook-sender.service';
import { UnpublisherService } from './unpublish/unpublisher.service';
import { UnpublishProcessor } from './unpublish/unpublish.processor';

@Module({
  imports: [HeraldConfigModule, heraldLoggerModule('herald-worker'), DatabaseModule, HeraldQueueModule.forRole('worker'), ChannelAdaptersModule, MediaLibraryModule],
  providers: [WorkerMetrics, OutcomeRecorder, DeliveryClaims, ChannelTokens, HostGate, PublisherService, PublishMedia, MediaSweeper, PublishWorkers, ReconcilerService, ReconcileProcessor, SeriesExpander, EvergreenRecycler, WebhookSender, WebhookProcessor, UnpublisherService, UnpublishProcessor, SnapshotTaker, SnapshotScheduler, AccountReader],
})
export class WorkerModule {}
