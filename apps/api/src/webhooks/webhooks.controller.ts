import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, Needs } from '../access';
import { ApiCreated, ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Idempotent } from '../common/idempotency.interceptor';
import { Page } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { CreateWebhookDto } from './dto';
import { CreatedWebhookSchema, WebhookDeliverySchema, WebhookSchema } from './schemas';
import { WebhooksService } from './webhooks.service';

@ApiTags('Webhooks')
@Controller('v1/webhooks')
@UseGuards(AuthGuard)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Needs('webhooks.manage')
  @Idempotent()
  @ApiRoute('createWebhook', 'Add a webhook endpoint', 'Every event but `post.metrics` (opt-in: one per metrics snapshot) unless `events` names some; the answer carries the signing `secret`, shown once.')
  @ApiCreated(CreatedWebhookSchema)
  @ApiProblems({ 422: 'The URL is refused (not http(s), or a private address)' })
  create(@Auth() auth: AuthContext, @Body() body: CreateWebhookDto): Promise<CreatedWebhookSchema> {
    return this.webhooks.create(auth, body);
  }

  @Get()
  @Needs('webhooks.manage')
  @ApiRoute('listWebhooks', 'List webhook endpoints')
  @ApiPage(WebhookSchema, 'Every endpoint (never paged: `nextCursor` is null)')
  list(@Auth() auth: AuthContext): Promise<Page<WebhookSchema>> {
    return this.webhooks.list(auth);
  }

  @Get(':id')
  @Needs('webhooks.manage')
  @ApiRoute('getWebhook', 'Get a webhook endpoint')
  @ApiOk(WebhookSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Webhook')) id: string): Promise<WebhookSchema> {
    return this.webhooks.get(auth, id);
  }

  @Get(':id/deliveries')
  @Needs('webhooks.manage')
  @ApiRoute('listWebhookDeliveries', "List a webhook endpoint's recent deliveries", 'Which event, how many tries, the last answer; newest first.')
  @ApiPage(WebhookDeliverySchema, 'The 100 most recent deliveries (never paged: `nextCursor` is null)')
  @ApiProblems(404)
  deliveries(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Webhook')) id: string): Promise<Page<WebhookDeliverySchema>> {
    return this.webhooks.deliveries(auth, id);
  }

  @Delete(':id')
  @Needs('webhooks.manage')
  @HttpCode(204)
  @ApiRoute('deleteWebhook', 'Remove a webhook endpoint')
  @ApiNoContent('Removed')
  @ApiProblems(404)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Webhook')) id: string): Promise<void> {
    await this.webhooks.remove(auth, id);
  }
}
