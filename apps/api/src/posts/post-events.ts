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
import { ApprovalMail } from './approval-mail';

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
    private readonly approvalMail: ApprovalMail,
  ) {}

  /**
   * Records the events in the caller's transaction, and for a post submitted
   * for approval the notice that emails its approvers; answers the webhook
   * deliveries to send once it commits.
   */
  async record(tenant: Tenant, events: PostEvent[], tx: Executor): Promise<string[]> {
    const submissions = events.filter((event) => event.type === 'post.pending_approval');
    for (const [by, postIds] of groupBy(submissions, (event) => (event.data.by.kind === 'user' ? event.data.by.id : null))) {
      await this.approvalMail.record(tenant, postIds, by, tx);
    }
    return this.events.recordFor(tenant, events, tx);
  }

  /** After the commit: the recorded deliveries go to the webhooks queue (never fails the caller; the reconciler repairs), approval emails out. */
  async send(webhookDeliveryIds: string[]): Promise<void> {
    this.approvalMail.wake();
    if (webhookDeliveryIds.length > 0) await this.webhooks.enqueue(webhookDeliveryIds);
  }
}

/** The submitted posts' ids by who submitted them (a person's id, or null for an API key). */
function groupBy(events: PostEvent[], keyOf: (event: PostEvent) => string | null): Map<string | null, string[]> {
  const groups = new Map<string | null, string[]>();
  for (const event of events) {
    const key = keyOf(event);
    groups.set(key, [...(groups.get(key) ?? []), event.data.postId]);
  }
  return groups;
}
