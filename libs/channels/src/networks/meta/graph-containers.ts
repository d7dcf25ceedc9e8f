/**
 * Threads' and Instagram's two-step publishing, which lets Herald keep the
 * network's own handle on a post before it goes live: a container is
 * created, its id kept, then published. After a crash the container's status
 * says for certain whether it went live (`PUBLISHED`), is still waiting
 * (`FINISHED`, `IN_PROGRESS`: publish that same container), or can no longer
 * be published (`EXPIRED`, `ERROR`: a new container is made).
 */
import { PublishRequest } from '../../adapter';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';

export type ContainerState = 'published' | 'waiting' | 'unusable';

export interface ContainerSteps {
  /** Creates the post's container (and any carousel children); answers its id. */
  create(api: NetworkClient): Promise<string>;
  /** Reads a container's status field (`status` on Threads, `status_code` on Instagram). */
  status(api: NetworkClient, containerId: string): Promise<string | undefined>;
}

export function containerState(status: string | undefined): ContainerState {
  if (status === 'PUBLISHED') return 'published';
  if (status === 'FINISHED' || status === 'IN_PROGRESS') return 'waiting';
  return 'unusable';
}

/**
 * The container this try publishes: the kept one while it can still be
 * published, else a new one, kept before it is returned. Answers `published`
 * when the kept one already went live (an earlier try's publish took effect).
 */
export async function containerToPublish(api: NetworkClient, request: PublishRequest, steps: ContainerSteps): Promise<{ containerId: string } | 'published'> {
  if (request.ref) {
    const state = containerState(await steps.status(api, request.ref));
    if (state === 'published') return 'published';
    if (state === 'waiting') return { containerId: request.ref };
  }
  const containerId = await steps.create(api);
  await request.keepRef(containerId);
  return { containerId };
}

/** The id a create call answered. Without one nothing was published yet, so the failure is not ambiguous. */
export function createdId(body: unknown, network: string): string {
  const id = field(body, 'id');
  if (!id) throw new NetworkError('transient', 'bad_answer', `${network} answered a container create without an id`);
  return id;
}

/**
 * The Graph node a channel publishes as: the Instagram professional account's
 * id or the Facebook Page's id (as Meta's documentation writes the paths);
 * `me` for a channel connected before its id was kept (a Page token's `me`
 * is its Page).
 */
export function graphNode(credentials: { accountId?: string | null }): string {
  return encodeURIComponent(credentials.accountId ?? 'me');
}
