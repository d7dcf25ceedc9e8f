import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { AdminTokenGuard } from '../access';
import { JOB_STATES } from '@herald/queue';
import { AdminService } from './admin.service';
import { ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Page } from '../common/pagination';
import { Omittable } from '../common/validation';
import { JobSchema, QueueStateSchema, QueuesOverviewSchema, RetriedJobSchema, RetriedJobsSchema } from './schemas';

export class JobsQuery {
  @ApiPropertyOptional({ enum: JOB_STATES, default: 'failed' })
  @Omittable()
  @IsIn(JOB_STATES)
  state?: (typeof JOB_STATES)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('Admin')
@Controller('admin/queues')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @ApiRoute('getQueuesOverview', 'Get the queues, the schedule and the circuit breakers', "BullMQ's counts and workers per queue, the schedule as Postgres sees it, and each network host's circuit breaker.")
  @ApiOk(QueuesOverviewSchema)
  overview(): Promise<QueuesOverviewSchema> {
    return this.admin.overview();
  }

  @Get(':name/jobs')
  @ApiRoute('listQueueJobs', "List a queue's jobs in one state", 'Each with its delivery as Postgres knows it (status, attempts, last error).')
  @ApiPage(JobSchema, 'Up to `limit` jobs (never paged: `nextCursor` is null)')
  @ApiProblems({ 404: 'No such queue' })
  jobs(@Param('name') name: string, @Query() query: JobsQuery): Promise<Page<JobSchema>> {
    return this.admin.jobs(name, query.state ?? 'failed', query.limit ?? 50);
  }

  @Post(':name/jobs/:id/retry')
  @HttpCode(200)
  @ApiRoute('retryQueueJob', 'Retry a failed job', "BullMQ's retry; the delivery's own state decides what happens.")
  @ApiOk(RetriedJobSchema)
  @ApiProblems({ 404: 'No such queue or job', 409: 'The job is not failed' })
  retryJob(@Param('name') name: string, @Param('id') id: string): Promise<RetriedJobSchema> {
    return this.admin.retryJob(name, id);
  }

  @Post(':name/retry-failed')
  @HttpCode(200)
  @ApiRoute('retryFailedQueueJobs', 'Retry every failed job of a queue')
  @ApiOk(RetriedJobsSchema)
  @ApiProblems({ 404: 'No such queue' })
  retryFailed(@Param('name') name: string): Promise<RetriedJobsSchema> {
    return this.admin.retryFailed(name);
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiRoute('pauseQueue', 'Pause a queue', 'Workers take no new job from it until it is resumed. `publish` pauses publishing as a whole: every shard of the publish queue, and shards of a shard count that comes later, until `publish` (or that shard) is resumed.')
  @ApiOk(QueueStateSchema)
  @ApiProblems({ 404: 'No such queue' })
  pause(@Param('name') name: string): Promise<QueueStateSchema> {
    return this.admin.pause(name);
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiRoute('resumeQueue', 'Resume a paused queue', '`publish` resumes every shard of the publish queue; resuming one shard by its name ends a pause of the whole.')
  @ApiOk(QueueStateSchema)
  @ApiProblems({ 404: 'No such queue' })
  resume(@Param('name') name: string): Promise<QueueStateSchema> {
    return this.admin.resume(name);
  }
}
