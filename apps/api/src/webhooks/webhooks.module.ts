import { Module } from '@nestjs/common';
import { urlPolicyProvider } from '../common/url-policy.provider';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, urlPolicyProvider],
})
export class WebhooksModule {}
