/**
 * The webhook events of what people do to posts through the API: a post
 * submitted for approval (`post.pending_approval`), approved
 * (`post.approved`), rejected (`post.rejected`). Each is recorded in the
 * transaction of the change (the outbox: a crash cannot lose it), and sent
 * after the commit; the worker's reconciler sends any that Redis missed.
 * (`post.published` and `post.failed` come from the worker, with the
 * outcome that causes them.)
 */
import { Injectable } from '@nestjs/common';
import { ActorRef, Executor, Tenant, WebhookEventType, WebhookEventsRepository } from '@herald/db';
import { WebhookQueue } from '@herald/queue';

export interface PostEvent {
  type: Extract<WebhookEventType, 'post.pending_approval' | 'post.approved' | 'post.rejected'>;
  data: { postId: string; status: string; by: ActorRef } & Record<string, unknown>;
}

/** A post (by `by`) now awaits approval. */
export function submitted(postId: string, by: ActorRef): PostEvent {
  return { type: 'post.pending_approval', data: { postId, status: 'pending_approval', by: actorRef(by) } };
}

/** Approved by `by`; `notice` says what changed from what was asked (a time that had passed), if anything. */
export function approved(postId: string, status: string, by: ActorRef, notice: string | null): PostEvent {
  return { type: 'post.approved', data: { postId, status, by: actorRef(by), notice } };
}

/** Rejected by `by` with a note: the post is a draft again. */
export function rejected(postId: string, by: ActorRef, note: string): PostEvent {
  return { type: 'post.rejected', data: { postId, status: 'draft', by: actorRef(by), note } };
}

function actorRef(actor: ActorRef): ActorRef {
  return { kind: actor.kind, id: actor.id };
}

@Injectable()
export class PostEvents {
  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly webhooks: WebhookQueue,
  ) {}

  /** Records the events in the caller's transaction; answers the webhook deliveries to send once it commits. */
  record(tenant: Tenant, events: PostEvent[], tx: Executor): Promise<string[]> {
    return this.events.recordFor(tenant, events, tx);
  }

  /** After the commit: the recorded deliveries go to the webhooks queue (never fails the caller; the reconciler repairs). */
  send(webhookDeliveryIds: string[]): Promise<void> {
    return this.webhooks.enqueue(webhookDeliveryIds);
  }
}
