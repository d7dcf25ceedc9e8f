/**
 * What the API answers, as the app reads it. The OpenAPI document does not yet
 * give every answer a schema (the generated client types those as unknown), so
 * these follow the API's views (apps/api/src/*\/…-view.ts) until it does; then
 * each becomes `Schemas['…']` from @herald/api-client.
 */
import type { Network } from '@herald/channels/rules';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Membership {
  workspaceId: string;
  name: string;
  role: 'owner' | 'admin' | 'editor' | 'contributor' | 'viewer' | string;
}

export interface SignedIn {
  user: { id: string; email: string; name: string };
  memberships: Membership[];
  csrfToken: string;
}

export interface ChannelView {
  id: string;
  network: Network;
  handle: string;
  host: string | null;
  tokenExpiresAt: string | null;
  expiring: boolean;
  timezone: string;
  postingSchedule: { slots: PostingSlot[] };
  postDefaults: { visibility?: string; language?: string };
  staleAfterSeconds: number | null;
  /** The channel's own limits where its host has some (a Mastodon instance's characters and attachments). */
  limits?: { maxCharacters?: number; maxMediaAttachments?: number };
  status: 'active' | 'paused' | 'disconnected' | string;
  createdAt: string;
  updatedAt: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface PostingSlot {
  day: Weekday;
  time: string;
}

export interface AttemptView {
  number: number;
  startedAt: string;
  finishedAt: string;
  outcome: string;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  latencyMs: number;
}

export type WaitingFor =
  | { reason: 'network_unavailable'; host: string | null; since: string | null; until: string | null }
  | { reason: 'rate_limited'; until: string | null }
  | { reason: 'channel_disconnected' };

export type DeliveryStatus = 'draft' | 'pending_approval' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'cancelled' | 'missed';

export interface DeliveryView {
  id: string;
  channelId: string;
  network: Network;
  status: DeliveryStatus;
  scheduledAt: string | null;
  publishedAt: string | null;
  externalId: string | null;
  externalUrl: string | null;
  attemptCount: number;
  lastError: { code: string; message: string | null } | null;
  waitingFor: WaitingFor | null;
  attempts?: AttemptView[];
}

export interface PostMedia {
  mediaId?: string;
  url?: string;
  alt?: string;
  type?: 'image' | 'video';
}

export interface PostView {
  id: string;
  status: string;
  text: string;
  media: PostMedia[];
  variants: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  deliveries: DeliveryView[];
}

export interface MediaView {
  id: string;
  type: 'image' | 'video';
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  animated: boolean;
  filename: string | null;
  fileUrl: string;
  thumbnailUrl: string | null;
  createdAt: string;
}

export interface QueueEntry {
  position: number;
  deliveryId: string;
  postId: string;
  text: string;
  scheduledAt: string;
}

export interface NetworkView {
  network: Network;
  displayName: string;
  connect: { method: 'oauth' | 'app_password'; connectable: boolean; missingSettings: string[] };
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
