import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, WorkspaceId } from '../common/auth';
import { Idempotent } from '../common/idempotency.interceptor';
import { ParseIdPipe } from '../common/uuid.pipe';
import { CreateWebhookDto } from './dto';
import { WebhooksService } from './webhooks.service';

@Controller('v1/webhooks')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Idempotent()
  create(@WorkspaceId() workspaceId: string, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(workspaceId, body);
  }

  @Get()
  list(@WorkspaceId() workspaceId: string) {
    return this.webhooks.list(workspaceId);
  }

  @Get(':id')
  get(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Webhook')) id: string) {
    return this.webhooks.get(workspaceId, id);
  }

  @Get(':id/deliveries')
  deliveries(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Webhook')) id: string) {
    return this.webhooks.deliveries(workspaceId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@WorkspaceId() workspaceId: string, @Param('id', new ParseIdPipe('Webhook')) id: string): Promise<void> {
    await this.webhooks.remove(workspaceId, id);
  }
}
