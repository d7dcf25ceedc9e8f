import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { Auth, AuthContext, AuthGuard } from '../access';
import { PageQuery } from '../common/pagination';
import { AuditLog } from './audit-log';

@Controller('v1/audit')
@UseGuards(AuthGuard)
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.audit.list(auth, query.limit, query.cursor);
  }
}
