/**
 * Threads' and Instagram's two-step publishing, which lets Herald keep the
 * network's own handle on a post before it goes live: a container is
 * created, its id kept, then published. After a crash the container's status
 * says for certain whether it went live (`PUBLISHED`), is still waiting
 * (`FINISHED`, `IN_PROGRESS`: publish that same container), or can no longer
 * be published (`EXPIRED`, `ERROR`: a new container is made).
 *
 * Media reach both networks by Herald's public link: the network fetches the
 * file when the container is made and processes it (`IN_PROGRESS`), so a
 * container with media is published only once it is `FINISHED`. A carousel's
 * children are containers too, each kept as the item's network upload, so a
 * retry reuses the children still usable instead of having every file
 * fetched again.
 */
import { PublishRequest } from '../../adapter';
import { Processing, pollUntil } from '../../base-adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';

export type ContainerState = 'published' | 'waiting' | 'unusable';

/** A container's status as the network reads it, with its reason when it failed. */
export interface ContainerStatus {
  status: string | undefined;
  message?: string;
}

export interface ContainerSteps {
  /** The network's name, as messages say it. */
  network: string;
  /** Creates the post's container (and any carousel children); answers its id. */
  create(api: NetworkClient): Promise<string>;
  /** Reads a container's status (`status` on Threads, `status_code` on Instagram) and why it failed. */
  status(api: NetworkClient, containerId: string): Promise<ContainerStatus>;
}

/** What one network's carousel children need: how one is made, and how a container's status is read. */
export interface CarouselSteps extends Omit<ContainerSteps, 'create'> {
  createChild(api: NetworkClient, item: PublishableMedia): Promise<string>;
}

/** Both networks forget a container 24 hours after it is made. */
export const CONTAINER_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Waits between status reads: short at first (an image is ready at once), longer for a video still processing. */
const STATUS_WAITS_MS = [500, 1000, 2000, 4000, 8000];

export function containerState(status: string | undefined): ContainerState {
  if (status === 'PUBLISHED') return 'published';
  if (status === 'FINISHED' || status === 'IN_PROGRESS') return 'waiting';
  return 'unusable';
}

/**
 * The container this try publishes: the kept one while it can still be
 * published, else a new one, kept before it is returned; with media, only
 * once the network finished processing it. Answers `published` when the
 * kept one already went live (an earlier try's publish took effect).
 */
export async function containerToPublish(api: NetworkClient, request: PublishRequest, steps: ContainerSteps): Promise<{ containerId: string } | 'published'> {
  let containerId: string | undefined;
  if (request.ref) {
    const state = containerState((await steps.status(api, request.ref)).status);
    if (state === 'published') return 'published';
    if (state === 'waiting') containerId = request.ref;
  }
  if (containerId === undefined) {
    containerId = await steps.create(api);
    await request.keepRef(containerId);
  }
  if (request.content.media.length > 0) {
    const id = containerId;
    const seen = await awaitContainer(request, steps.network, "The post's media", () => steps.status(api, id));
    if (seen === 'published') return 'published';
  }
  return { containerId };
}

/**
 * A carousel's children, in the post's order: each item's kept child while
 * the network can still use it (an `EXPIRED` or failed one, or one it no
 * longer knows, is made again), else a new one, kept as soon as it is made.
 * All are made before any is waited for, so the network fetches them
 * together; answers once every child is `FINISHED`.
 */
export async function carouselChildren(api: NetworkClient, request: PublishRequest, steps: CarouselSteps): Promise<string[]> {
  const children: string[] = [];
  for (const item of request.content.media) {
    const kept = request.uploads.get(item.key);
    if (kept !== undefined && (await stillUsable(api, kept, steps))) {
      children.push(kept);
      continue;
    }
    const child = await steps.createChild(api, item);
    await request.uploads.keep(item.key, child, new Date(Date.now() + CONTAINER_LIFETIME_MS));
    children.push(child);
  }
  const count = request.content.media.length;
  for (const [index, child] of children.entries()) {
    const item = request.content.media[index]!;
    await awaitContainer(request, steps.network, `${item.type === 'video' ? 'Video' : 'Image'} ${index + 1} of ${count}`, () => steps.status(api, child));
  }
  return children;
}

/** Reads a container's status until the network finished processing it (within the claim's deadline). */
export async function awaitContainer(
  context: Pick<PublishRequest, 'deadline'>,
  network: string,
  what: string,
  read: () => Promise<ContainerStatus>,
): Promise<'finished' | 'published'> {
  let reads = 0;
  return pollUntil(context, `${what} (on ${network})`, async () => readiness(await read(), network, what, reads++));
}

/**
 * What one status read of a container means: ready (`FINISHED`), already
 * live (`PUBLISHED`), read again after a wait (`IN_PROGRESS`, the
 * `reads`-th read), or refused for good with the network's reason.
 */
export function readiness(seen: ContainerStatus, network: string, what: string, reads: number): Processing<'finished' | 'published'> {
  switch (seen.status) {
    case 'FINISHED':
      return { done: 'finished' };
    case 'PUBLISHED':
      return { done: 'published' };
    case 'ERROR':
      throw new NetworkError('rejected', 'media_rejected', `${what} could not be used by ${network}${seen.message ? `: ${seen.message}` : ''}`);
    case 'EXPIRED':
      throw new NetworkError('rejected', 'media_expired', `${what} expired on ${network} before it was published; the post must be sent again${seen.message ? ` (${seen.message})` : ''}`);
    default:
      return { waitMs: STATUS_WAITS_MS[Math.min(reads, STATUS_WAITS_MS.length - 1)]! };
  }
}

/** A kept child the network still knows and can still put in a post. */
async function stillUsable(api: NetworkClient, containerId: string, steps: CarouselSteps): Promise<boolean> {
  try {
    const { status } = await steps.status(api, containerId);
    return status === 'FINISHED' || status === 'IN_PROGRESS';
  } catch (error) {
    // "Object does not exist" and the like: make it again. A failure to ask at all is not a reason to.
    if (error instanceof NetworkError && error.errorClass === 'rejected') return false;
    throw error;
  }
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
