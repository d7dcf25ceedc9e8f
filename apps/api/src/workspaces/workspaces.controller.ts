import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, AuthGuard, Auth, AuthContext } from '../access';
import { Idempotent } from '../common/idempotency.interceptor';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto, CreateWorkspaceDto } from './dto';
import { WorkspacesService } from './workspaces.service';

@Controller('v1/workspaces')
@UseGuards(AdminTokenGuard)
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post()
  create(@Body() body: CreateWorkspaceDto) {
    return this.workspaces.create(body.name);
  }
}

@Controller('v1/api-keys')
@UseGuards(AuthGuard)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Idempotent()
  create(@Auth() auth: AuthContext, @Body() body: CreateApiKeyDto) {
    return this.apiKeys.create(auth, body.name, body.role);
  }

  @Get()
  async list(@Auth() auth: AuthContext) {
    return { data: await this.apiKeys.list(auth), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('API key')) id: string): Promise<void> {
    await this.apiKeys.revoke(auth, id);
  }
}
