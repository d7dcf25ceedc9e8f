import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { AdminTokenGuard } from '../access';
import { JOB_STATES } from '@herald/queue';
import { AdminService } from './admin.service';
import { Omittable } from '../common/validation';

export class JobsQuery {
  @Omittable()
  @IsIn(JOB_STATES)
  state?: (typeof JOB_STATES)[number];

  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@Controller('admin/queues')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  overview() {
    return this.admin.overview();
  }

  @Get(':name/jobs')
  jobs(@Param('name') name: string, @Query() query: JobsQuery) {
    return this.admin.jobs(name, query.state ?? 'failed', query.limit ?? 50);
  }

  @Post(':name/jobs/:id/retry')
  @HttpCode(200)
  retryJob(@Param('name') name: string, @Param('id') id: string) {
    return this.admin.retryJob(name, id);
  }

  @Post(':name/retry-failed')
  @HttpCode(200)
  retryFailed(@Param('name') name: string) {
    return this.admin.retryFailed(name);
  }

  @Post(':name/pause')
  @HttpCode(200)
  pause(@Param('name') name: string) {
    return this.admin.pause(name);
  }

  @Post(':name/resume')
  @HttpCode(200)
  resume(@Param('name') name: string) {
    return this.admin.resume(name);
  }
}
