import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, AuthGuard, Needs } from '../access';
import { ApiPage, ApiRoute } from '../common/api-docs';
import { Page, PageQuery } from '../common/pagination';
import { AuditLog } from './audit-log';
import { AuditEventSchema } from './schemas';

@ApiTags('Audit')
@Controller('v1/audit')
@UseGuards(AuthGuard)
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @Needs('audit.read')
  @ApiRoute('listAuditEvents', 'Read the audit log', 'Sign-ins, member and role changes, invitations, channel connections and removals, key creation and revocation, every change of a post (created, edited, rescheduled, cancelled, retried, approved, rejected): newest first. Owners and admins.')
  @ApiPage(AuditEventSchema)
  list(@Auth() auth: AuthContext, @Query() query: PageQuery): Promise<Page<AuditEventSchema>> {
    return this.audit.list(auth, query.limit, query.cursor);
  }
}
