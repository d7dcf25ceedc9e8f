/**
 * The networks the mock serves beside the seven, each a folder of its own
 * that exports its module: adding one is its folder and one line here. Each
 * gets an origin of its own, after the seven's.
 */
import type { FastifyInstance } from 'fastify';
import type { ErrorFormat } from '../http/server';
import type { MockWorld } from '../world';
import { GOOGLE_BUSINESS_MOCK } from './google-business';
import { PINTEREST_MOCK } from './pinterest';
import { TIKTOK_MOCK } from './tiktok';
import { YOUTUBE_MOCK } from './youtube';

export interface MockNetworkModule<N extends string = string> {
  name: N;
  errors: ErrorFormat;
  register(app: FastifyInstance, world: MockWorld): void;
  /** The largest body taken, where the network's uploads need more than the default. */
  bodyLimit?: number;
  /** Its own names for the figures a post earns (see post-metrics.ts), the large ones (views, impressions) first. */
  metricFields: readonly string[];
  /** Of those, the ones that run large (impressions, views). */
  largeMetrics: readonly string[];
}

export const MORE_MOCK_NETWORKS = [PINTEREST_MOCK, YOUTUBE_MOCK, TIKTOK_MOCK, GOOGLE_BUSINESS_MOCK] as const;
export type MoreMockNetwork = (typeof MORE_MOCK_NETWORKS)[number]['name'];

/** The same list, as plain modules. */
export const MORE_MOCK_LIST: readonly MockNetworkModule[] = MORE_MOCK_NETWORKS;
