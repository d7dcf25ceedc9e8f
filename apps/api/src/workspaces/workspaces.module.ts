import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard, AdminTokenGuard } from '../common/auth';
import { ApiKeysService } from './api-keys.service';
import { ApiKeysController, WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

/** Tenants and their keys; exports the guards every other module uses. */
@Global()
@Module({
  controllers: [WorkspacesController, ApiKeysController],
  providers: [WorkspacesService, ApiKeysService, ApiKeyGuard, AdminTokenGuard],
  exports: [ApiKeysService, ApiKeyGuard, AdminTokenGuard],
})
export class WorkspacesModule {}
