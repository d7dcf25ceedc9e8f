import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, AuthGuard, Auth, AuthContext, Needs } from '../access';
import { ApiCreated, ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Idempotent } from '../common/idempotency.interceptor';
import { Page } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto, CreateWorkspaceDto, UpdateWorkspaceDto } from './dto';
import { ApiKeySchema, CreatedWorkspaceSchema, IssuedApiKeySchema, WorkspaceSchema } from './schemas';
import { WorkspaceSettingsService } from './workspace-settings.service';
import { WorkspacesService } from './workspaces.service';

@ApiTags('Workspaces')
@Controller('v1/workspaces')
@UseGuards(AdminTokenGuard)
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post()
  @ApiRoute('createWorkspace', 'Create a workspace', 'With its first API key (shown once). The admin token only.')
  @ApiCreated(CreatedWorkspaceSchema)
  create(@Body() body: CreateWorkspaceDto): Promise<CreatedWorkspaceSchema> {
    return this.workspaces.create(body.name);
  }
}

@ApiTags('Workspaces')
@Controller('v1/workspace')
@UseGuards(AuthGuard)
export class WorkspaceController {
  constructor(private readonly settings: WorkspaceSettingsService) {}

  @Get()
  @Needs('member')
  @ApiRoute('getWorkspace', "The caller's workspace", 'Its name and settings, for any member or key.')
  @ApiOk(WorkspaceSchema)
  get(@Auth() auth: AuthContext): Promise<WorkspaceSchema> {
    return this.settings.get(auth);
  }

  @Patch()
  @Needs('workspace.manage')
  @ApiRoute(
    'updateWorkspace',
    "Change the workspace's settings",
    "Owners and admins; each field given is changed, each left out kept. `allowedRedirectOrigins` replaces the origins, besides the web app's own, that a connect flow may send the browser back to (`redirectUri` of `POST /v1/channels/connect`); `timezone` is the IANA zone new channels take.",
  )
  @ApiOk(WorkspaceSchema)
  @ApiProblems({ 422: 'An entry is not an http(s) origin (scheme, host and port only), or the zone is not an IANA time zone' })
  update(@Auth() auth: AuthContext, @Body() body: UpdateWorkspaceDto): Promise<WorkspaceSchema> {
    return this.settings.update(auth, body);
  }
}

@ApiTags('API keys')
@Controller('v1/api-keys')
@UseGuards(AuthGuard)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Needs('keys.manage')
  @Idempotent()
  @ApiRoute('createApiKey', 'Issue an API key', 'The answer carries the whole key, shown once. The key acts as editor unless `role` names another, never above the caller\'s own.')
  @ApiCreated(IssuedApiKeySchema)
  create(@Auth() auth: AuthContext, @Body() body: CreateApiKeyDto): Promise<IssuedApiKeySchema> {
    return this.apiKeys.create(auth, body.name, body.role, body.channelIds);
  }

  @Get()
  @Needs('keys.manage')
  @ApiRoute('listApiKeys', 'List API keys', 'Revoked ones too, with `revokedAt`, and who made each (`createdBy`).')
  @ApiPage(ApiKeySchema, 'Every key (never paged: `nextCursor` is null)')
  async list(@Auth() auth: AuthContext): Promise<Page<ApiKeySchema>> {
    return { data: await this.apiKeys.list(auth), nextCursor: null };
  }

  @Delete(':id')
  @Needs('keys.manage')
  @HttpCode(204)
  @ApiRoute('revokeApiKey', 'Revoke an API key', 'Refused from then on, by every API process within a second.')
  @ApiNoContent('Revoked')
  @ApiProblems(404)
  async revoke(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('API key')) id: string): Promise<void> {
    await this.apiKeys.revoke(auth, id);
  }
}
