import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit-log';

/** The workspace's audit log: every module records through AuditLog; owners and admins read it at GET /v1/audit. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}
