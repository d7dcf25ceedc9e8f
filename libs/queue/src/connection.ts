import { RedisOptions } from 'bullmq';
import type { HeraldConfig } from '@herald/config';

/**
 * BullMQ connection settings from the config. `maxRetriesPerRequest: null` is
 * what BullMQ workers require; producers in the API get a bounded retry so a
 * Redis outage answers quickly instead of hanging a request.
 */
export function bullConnection(config: HeraldConfig, role: 'producer' | 'worker'): RedisOptions {
  return {
    url: config.redisUrl,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5000,
    // Reconnect forever with a capped delay: Redis may come and go.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
