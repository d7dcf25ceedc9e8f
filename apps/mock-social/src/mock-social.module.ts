import { Module } from '@nestjs/common';
import { Faults } from './faults';
import { InspectionController, TokenController } from './inspection/inspection.controller';
import { NetworkGate } from './network-gate';
import { BlueskyController } from './networks/bluesky.controller';
import { FacebookController } from './networks/facebook.controller';
import { InstagramController } from './networks/instagram.controller';
import { LinkedInController } from './networks/linkedin.controller';
import { MastodonController } from './networks/mastodon.controller';
import { ThreadsController } from './networks/threads.controller';
import { XController } from './networks/x.controller';
import { MockStore } from './store';

/** Stand-ins for the seven networks, with fault injection and inspection under /_mock. */
@Module({
  controllers: [
    InspectionController,
    TokenController,
    XController,
    BlueskyController,
    MastodonController,
    LinkedInController,
    ThreadsController,
    InstagramController,
    FacebookController,
  ],
  providers: [MockStore, Faults, NetworkGate],
})
export class MockSocialModule {}
