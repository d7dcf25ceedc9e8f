import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { Request } from 'express';
import type { RedisSettings } from '@herald/config';
import { createRedisClient } from '@herald/queue';

/** The session cookie's value, whichever of its two names (see access/session-cookie.ts). */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?herald_session=([A-Za-z0-9_-]{1,100})/;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Per-API-key rate limits, counted in Redis so they hold across API replicas,
 * answered with `RateLimit-*` headers and, past the limit, 429 + `Retry-After`.
 * The key is a hash of the presented credential, an API key or a session
 * cookie (unauthenticated calls count per client address); health and
 * metrics are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const authorization = (request as unknown as Request).header('authorization');
    if (authorization) return `key:${createHash('sha256').update(authorization).digest('hex').slice(0, 32)}`;
    const session = (request as unknown as Request).header('cookie')?.match(SESSION_COOKIE)?.[1];
    if (session) return `session:${createHash('sha256').update(session).digest('hex').slice(0, 32)}`;
    return `ip:${(request as unknown as Request).ip ?? 'unknown'}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const path = context.switchToHttp().getRequest<Request>().path;
    return path.startsWith('/health') || path === '/metrics';
  }
}

/**
 * Redis-backed counting that fails open: if Redis is away, requests are not
 * limited rather than refused (posts are still accepted into Postgres).
 * The counter's script touches two keys, `{tracker:name}:hits` and
 * `...:blocked`, under the queue prefix: on a cluster the prefix's hash tag
 * (required there) puts both in its slot; on one server the script's own tag does.
 */
export class FailOpenRedisStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: ThrottlerStorageRedisService;

  constructor(settings: RedisSettings, prefix: string) {
    const client = createRedisClient(settings, 'producer', { keyPrefix: `${prefix}:ratelimit:` });
    // Its constructor is overloaded per client type, so each is handed over as what it is.
    this.redis = client instanceof Cluster ? new ThrottlerStorageRedisService(client) : new ThrottlerStorageRedisService(client);
    this.redis.redis.on('error', () => undefined);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.redis.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.logger.warn(`rate limit not counted (Redis unavailable): ${String(error)}`);
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  onApplicationShutdown(): void {
    this.redis.redis.disconnect();
  }
}
