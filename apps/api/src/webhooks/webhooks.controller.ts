import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AuthGuard, Auth, AuthContext } from '../access';
import { Idempotent } from '../common/idempotency.interceptor';
import { ParseIdPipe } from '../common/uuid.pipe';
import { CreateWebhookDto } from './dto';
import { WebhooksService } from './webhooks.service';

@Controller('v1/webhooks')
@UseGuards(AuthGuard)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Idempotent()
  create(@Auth() auth: AuthContext, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(auth, body);
  }

  @Get()
  list(@Auth() auth: AuthContext) {
    return this.webhooks.list(auth);
  }

  @Get(':id')
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Webhook')) id: string) {
    return this.webhooks.get(auth, id);
  }

  @Get(':id/deliveries')
  deliveries(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Webhook')) id: string) {
    return this.webhooks.deliveries(auth, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Webhook')) id: string): Promise<void> {
    await this.webhooks.remove(auth, id);
  }
}
