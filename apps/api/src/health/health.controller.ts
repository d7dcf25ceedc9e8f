import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { PublishShards, QUEUES } from '@herald/queue';
import { ApiOk, ApiRoute, problemResponse } from '../common/api-docs';
import { ServiceUnavailable } from '../common/problems';

@ApiSchema({ name: 'HealthIndicator' })
export class HealthIndicatorSchema {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Why it is down' })
  message?: string;
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(HealthIndicatorSchema) },
  example: { postgres: { status: 'up' }, redis: { status: 'up' } },
} as const;

@ApiSchema({ name: 'Readiness', description: "Terminus's report: each backing service's indicator (`postgres`, `redis`)" })
@ApiExtraModels(HealthIndicatorSchema)
export class ReadinessSchema {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ ...INDICATORS, description: 'The indicators that are up' })
  info!: Record<string, HealthIndicatorSchema>;

  @ApiProperty({ ...INDICATORS, example: {}, description: 'The indicators that are down (none while ready)' })
  error!: Record<string, HealthIndicatorSchema>;

  @ApiProperty({ ...INDICATORS, description: 'Every indicator' })
  details!: Record<string, HealthIndicatorSchema>;
}

@ApiSchema({ name: 'Liveness' })
export class LivenessSchema {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

/** Liveness (the process answers) and readiness (Postgres and Redis answer): 503 while either is down. */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(QUEUES.reconcile) private readonly reconcileQueue: Queue,
    private readonly shards: PublishShards,
  ) {}

  @Get('live')
  @ApiRoute('getLiveness', 'Is the process up', 'Answers while the process runs, whatever Postgres and Redis do.')
  @ApiOk(LivenessSchema)
  live(): LivenessSchema {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiRoute('getReadiness', 'Can the API serve', 'Ready while Postgres and Redis answer (each within 2 s).')
  @ApiOk(ReadinessSchema, 'Postgres and Redis answer')
  // Terminus throws its report as a 503 and the problem filter answers it as a problem: Terminus's own documentation of it would not be true.
  @ApiResponse({ status: 503, ...problemResponse('Postgres or Redis does not answer') })
  @HealthCheck({ swaggerDocumentation: false })
  async ready() {
    try {
      return await this.health.check([() => this.database.pingCheck('postgres', { timeout: 2000 }), () => this.redisCheck()]);
    } catch (error) {
      throw notReady(error);
    }
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    try {
      // A cheap command per queue proves Redis answers for each (on a cluster, each publish shard's master and the prefix's own); producers fail fast when it does not.
      await withTimeout(Promise.all([this.reconcileQueue, ...this.shards.all.map((shard) => shard.queue)].map((queue) => queue.getJobCounts('waiting'))), 2000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

/**
 * Terminus throws its report as a 503 whose body the problem filter cannot read; the problem answered says which
 * services are down and why (an operator reads it in a load balancer's log).
 */
export function notReady(error: unknown): unknown {
  if (!(error instanceof ServiceUnavailableException)) return error;
  const report = error.getResponse() as { error?: Record<string, { message?: unknown }> };
  const down = Object.entries(report.error ?? {}).map(([name, indicator]) => (indicator.message ? `${name} (${String(indicator.message)})` : name));
  const detail = down.length > 0 ? `Not ready: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down` : 'Not ready';
  return new ServiceUnavailable(detail);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
