/** What other API modules may use of webhooks. */
export { WebhooksModule } from './webhooks.module';
