/** What the API answers, by the names the web app uses: the schemas of the OpenAPI document, through the generated client. */
import type { Schemas } from '@herald/api-client';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export type Membership = Schemas['Membership'];
export type SignedIn = Schemas['SignedIn'];
export type ChannelView = Schemas['Channel'];
export type ChannelGroup = Schemas['ChannelGroup'];
export type WorkspaceView = Schemas['Workspace'];
export type PostingSlot = Schemas['PostingSlot'];
export type Weekday = PostingSlot['day'];
export type AttemptView = Schemas['Attempt'];
export type DeliveryView = Schemas['Delivery'];
export type DeliveryStatus = DeliveryView['status'];
export type WaitingFor = NonNullable<DeliveryView['waitingFor']>;
export type PostMedia = Schemas['PostMedia'];
export type PostView = Schemas['Post'];
export type MediaView = Schemas['Media'];
export type QueueEntry = Schemas['QueueEntry'];
export type NetworkView = Schemas['Network'];
export type ApiKeyView = Schemas['ApiKey'];
export type IssuedApiKey = Schemas['IssuedApiKey'];
export type WebhookView = Schemas['Webhook'];
export type CreatedWebhook = Schemas['CreatedWebhook'];
export type WebhookDeliveryView = Schemas['WebhookDelivery'];
export type PendingAccount = Schemas['PendingAccount'];
