import { Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service';
import { WorkspaceSettingsService } from './workspace-settings.service';
import { ApiKeysController, WorkspaceController, WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

/** Tenants, their settings and their keys. */
@Module({
  controllers: [WorkspacesController, WorkspaceController, ApiKeysController],
  providers: [WorkspacesService, ApiKeysService, WorkspaceSettingsService],
})
export class WorkspacesModule {}
