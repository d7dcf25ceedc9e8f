import { Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service';
import { ApiKeysController, WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

/** Tenants and their keys. */
@Module({
  controllers: [WorkspacesController, ApiKeysController],
  providers: [WorkspacesService, ApiKeysService],
})
export class WorkspacesModule {}
