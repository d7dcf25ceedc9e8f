/**
 * `POST /v1/posts/:id/metrics/refresh`: asks the worker to read the post's
 * metrics now (every published delivery still on its network), at most
 * once per `ANALYTICS_REFRESH_INTERVAL` per post. The API never calls a
 * network itself: the worker's reads keep the budgets (docs/analytics.md).
 */
import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { MetricsRepository } from '@herald/db';
import { AccessService, AuthContext } from '../../access';
import { Conflict, NotFound, TooManyRequests } from '../../common/problems';

export interface RefreshView {
  postId: string;
  /** The deliveries whose metrics will be read. */
  deliveryIds: string[];
  requestedAt: string;
}

@Injectable()
export class RefreshMetricsUseCase {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly metricsRepo: MetricsRepository,
    private readonly access: AccessService,
  ) {}

  async execute(auth: AuthContext, postId: string): Promise<RefreshView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const state = await this.metricsRepo.refreshState(tenant, postId);
    if (!state.exists) throw new NotFound('Post', postId);
    if (state.published === 0) throw new Conflict('The post has no published delivery yet: there are no metrics to read');
    const every = this.config.analytics.refreshEveryMs;
    const since = state.refreshedAt ? Date.now() - state.refreshedAt.getTime() : Infinity;
    if (since < every) throw new TooManyRequests(`The post's metrics were refreshed less than ${Math.round(every / 1000)} s ago`, (every - since) / 1000);
    const deliveryIds = await this.metricsRepo.requestRefresh(tenant, postId, this.config.analytics.snapshotsMs[0] ?? 0);
    if (deliveryIds.length === 0) throw new Conflict('Every published delivery of this post is gone from its network: its metrics are no longer read');
    return { postId, deliveryIds, requestedAt: new Date().toISOString() };
  }
}
