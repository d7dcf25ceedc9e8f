/**
 * Media containers as Threads and Instagram make them: the media given by a
 * public URL that the network fetches itself when the container is created,
 * judged by its bytes against the network's own rules (types, size, aspect
 * ratio, video duration) and refused at once in the Graph error format when
 * it breaks one (nothing is kept); a video container is IN_PROGRESS on its
 * first status read, then FINISHED; a carousel takes 2 to N children made
 * with `is_carousel_item=true`, and is finished when they all are;
 * publishing one that is not finished is refused (9007 / 2207027), as is
 * publishing past the posting quota (a Threads reply, made with
 * `reply_to_id`, counts against the replies' quota instead).
 */
import type { FastifyRequest } from 'fastify';
import { Account } from '../../accounts';
import { checkContent } from '../../gate';
import { Answer, fieldsOf, queryOf, stringField } from '../../http/answer';
import { fetchPublicMedia } from '../../media/fetch-public';
import { MediaFacts } from '../../media/inspect';
import { Processing, ProcessingState } from '../../media/processing';
import { MockMedia } from '../../store';
import { THREADS_REPLY_QUOTA, postsInLastDay, repliesInLastDay } from '../../quotas';
import { MockWorld } from '../../world';
import { graphError } from './graph';

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';

export interface Container {
  id: string;
  /** TEXT, IMAGE, VIDEO, REELS or CAROUSEL, as created. */
  mediaType: string;
  text: string;
  facts?: MediaFacts;
  alt?: string;
  children: string[];
  carouselItem: boolean;
  processing: Processing;
  /** Threads: the post or reply this container answers (`reply_to_id`). */
  replyTo?: string;
  /** The post it became. */
  publishedId?: string;
}

/** What one network takes by URL. */
export interface UrlMediaRules {
  imageTypes: string[];
  imageMaxBytes: number;
  videoTypes: string[];
  videoMaxBytes: number;
  videoSeconds?: { min: number; max: number };
  /** Width over height, inclusive. */
  aspectRatio?: { min: number; max: number; words: string };
  maxChildren: number;
}

const MB = 1024 * 1024;

export const THREADS_MEDIA: UrlMediaRules = {
  imageTypes: ['image/jpeg', 'image/png'],
  imageMaxBytes: 8 * MB,
  videoTypes: ['video/mp4', 'video/quicktime'],
  videoMaxBytes: 1024 * MB,
  maxChildren: 20,
};

export const INSTAGRAM_MEDIA: UrlMediaRules = {
  imageTypes: ['image/jpeg'],
  imageMaxBytes: 8 * MB,
  videoTypes: ['video/mp4', 'video/quicktime'],
  videoMaxBytes: 300 * MB,
  videoSeconds: { min: 3, max: 15 * 60 },
  aspectRatio: { min: 4 / 5, max: 1.91, words: '4:5 to 1.91:1' },
  maxChildren: 10,
};

const downloadFailed = (detail: string) =>
  graphError(400, {
    message: `Media download has failed.: ${detail}`,
    code: 9004,
    error_subcode: 2207052,
    is_transient: false,
    error_user_title: 'Media download has failed.',
    error_user_msg: 'The media could not be fetched from the URI provided. Make sure the URI is valid and publicly accessible.',
  });
const notPhotoOrVideo = (detail: string) =>
  graphError(400, { message: 'Only photo or video can be accepted as media type.', code: 9004, error_subcode: 2207052, is_transient: false, error_user_title: 'Media type not supported', error_user_msg: detail });
const imageTooLarge = (max: number) =>
  graphError(400, { message: `The image is too large to download. It should be less than ${max / MB} MiB.`, code: 36000, error_subcode: 2207004, is_transient: false });
const aspectRatio = (words: string) =>
  graphError(400, { message: 'The aspect ratio is not supported.', code: 36003, error_subcode: 2207009, is_transient: false, error_user_msg: `The submitted image's aspect ratio must be ${words}.` });
const videoRefused = (detail: string) =>
  graphError(400, { message: `The video format is not supported. Please check spec for supported video formats: ${detail}`, code: 352, error_subcode: 2207026, is_transient: false });
export const invalidParameter = (message: string) => graphError(400, { message: `(#100) ${message}`, type: 'OAuthException', code: 100 });

/** The image or video at a public URL, fetched and judged by these rules; the Graph error when it is refused. */
export async function fetchForContainer(url: string, kind: 'image' | 'video', rules: UrlMediaRules): Promise<{ facts: MediaFacts } | { refusal: Answer }> {
  const fetched = await fetchPublicMedia(url, kind === 'image' ? rules.imageMaxBytes : rules.videoMaxBytes);
  if (!fetched.ok) {
    if (fetched.problem === 'unreachable') return { refusal: downloadFailed(fetched.message) };
    if (fetched.problem === 'too_large') return { refusal: kind === 'image' ? imageTooLarge(rules.imageMaxBytes) : videoRefused(`larger than ${rules.videoMaxBytes / MB} MB`) };
    return { refusal: kind === 'image' ? notPhotoOrVideo(fetched.message) : videoRefused(fetched.message) };
  }
  const { facts } = fetched;
  if (kind === 'image') {
    if (!rules.imageTypes.includes(facts.mimeType)) return { refusal: notPhotoOrVideo(`The image is ${facts.mimeType}; this network takes ${rules.imageTypes.join(', ')}.`) };
    if (rules.aspectRatio && facts.width && facts.height) {
      const ratio = facts.width / facts.height;
      if (ratio < rules.aspectRatio.min - 1e-9 || ratio > rules.aspectRatio.max + 1e-9) return { refusal: aspectRatio(rules.aspectRatio.words) };
    }
    return { facts };
  }
  if (!rules.videoTypes.includes(facts.mimeType)) return { refusal: videoRefused(`the file is ${facts.mimeType}; this network takes ${rules.videoTypes.join(', ')}`) };
  if (rules.videoSeconds) {
    const seconds = (facts.durationMs ?? 0) / 1000;
    if (seconds < rules.videoSeconds.min || seconds > rules.videoSeconds.max) return { refusal: videoRefused(`the video lasts ${seconds} s; it must last ${rules.videoSeconds.min} s to ${rules.videoSeconds.max / 60} min`) };
  }
  return { facts };
}

export function containerShelf(world: MockWorld, network: 'threads' | 'instagram') {
  return world.store.shelf<Container>(`${network}-containers`);
}

/** Carousel children named by `children` (ids, comma-separated or repeated): this account's carousel items, 2 to the network's maximum. */
export function carouselChildren(world: MockWorld, network: 'threads' | 'instagram', account: Account, raw: unknown, rules: UrlMediaRules): { children: string[] } | { refusal: Answer } {
  const ids = (Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : []).map((id) => id.trim()).filter(Boolean);
  if (ids.length < 2 || ids.length > rules.maxChildren) return { refusal: invalidParameter(`children must name 2 to ${rules.maxChildren} carousel items`) };
  const shelf = containerShelf(world, network);
  const bad = ids.filter((id) => !shelf.of(account, id)?.carouselItem);
  if (bad.length > 0) return { refusal: invalidParameter(`children ${bad.join(', ')} are not carousel items of this user (is_carousel_item=true)`) };
  return { children: ids };
}

/** A status read of a container (a carousel reads its children too): IN_PROGRESS, FINISHED or PUBLISHED. */
export function readContainerStatus(world: MockWorld, network: 'threads' | 'instagram', account: Account, container: Container): ContainerStatus {
  if (container.publishedId) return 'PUBLISHED';
  const shelf = containerShelf(world, network);
  const states: ProcessingState[] = [container.processing.read(), ...container.children.map((id) => shelf.of(account, id)!.processing.read())];
  return states.includes('processing') ? 'IN_PROGRESS' : 'FINISHED';
}

/** Whether the container (and every child) is finished, without counting a read. */
export function isFinished(world: MockWorld, network: 'threads' | 'instagram', account: Account, container: Container): boolean {
  const shelf = containerShelf(world, network);
  return [container, ...container.children.map((id) => shelf.of(account, id)!)].every((item) => item.processing.state === 'ready');
}

/** The container's media as a post shows it: its children's, or its own. */
export function containerMedia(world: MockWorld, network: 'threads' | 'instagram', account: Account, container: Container): MockMedia[] {
  const shelf = containerShelf(world, network);
  const items = container.children.length > 0 ? container.children.map((id) => shelf.of(account, id)!) : [container];
  return items.filter((item) => item.facts).map((item) => ({ ...item.facts!, alt: item.alt ?? '' }));
}

/** A container's status, under its network's field name (`status` on Threads, `status_code` on Instagram); a read counts. */
export function containerStatus(world: MockWorld, network: 'threads' | 'instagram', account: Account, containerId: string, field: 'status' | 'status_code'): Answer | undefined {
  const container = containerShelf(world, network).of(account, containerId);
  return container ? { status: 200, body: { id: containerId, [field]: readContainerStatus(world, network, account, container) } } : undefined;
}

/** The second step of a two-step publish: the container named by `creation_id` goes live, once; its status becomes `PUBLISHED`. */
export function publishContainer(world: MockWorld, network: 'threads' | 'instagram', account: Account, request: FastifyRequest): Answer {
  const creationId = queryOf(request).creation_id ?? stringField(fieldsOf(request), 'creation_id') ?? '';
  const container = containerShelf(world, network).of(account, creationId);
  if (!container) return graphError(400, { message: 'Invalid parameter: creation_id', type: 'OAuthException', code: 100 });
  if (container.publishedId) return graphError(400, { message: 'The media has already been published', code: 9007, error_subcode: 2207008 });
  if (container.carouselItem) return invalidParameter('A carousel item is published through its carousel container');
  if (!isFinished(world, network, account, container)) {
    return graphError(400, { message: 'Media ID is not available', code: 9007, error_subcode: 2207027, is_transient: false, error_user_title: 'Media not ready', error_user_msg: 'The media is not ready for publishing, please wait for a moment' });
  }
  if (container.replyTo && !isRepliable(world, container.replyTo)) return replyTargetGone(container.replyTo);
  const used = container.replyTo ? repliesInLastDay(world.store.postsOf(account)) : postsInLastDay(world.store.topLevelOf(account));
  if (used >= (container.replyTo ? THREADS_REPLY_QUOTA : world.quotas.totalFor(network, account.handle))) {
    world.calls.note(request, { outcome: 'quota' });
    return quotaReached();
  }
  const media = containerMedia(world, network, account, container);
  checkContent(network, container.text, media);
  const post = world.store.accept(account, container.text, media, {
    record: { mediaType: container.mediaType },
    ...(container.replyTo ? { replyTo: { kind: 'reply', id: container.replyTo } } : {}),
  });
  container.publishedId = post.id;
  return { status: 200, body: { id: post.id } };
}

/**
 * Past the posting quota: Instagram's documented answer (its error codes
 * page: HTTP 400, code 9, subcode 2207042, "You reached maximum number of
 * posts that is allowed to be published by Content Publishing API.").
 * Threads documents its 250-post limit but no error for it; the mock
 * answers it the same way, as Threads' publishing shares Instagram's error
 * codes (its containers answer 2207xxx subcodes, as "already published"
 * 2207008 above).
 */
const quotaReached = () =>
  graphError(400, {
    message: 'Application request limit reached',
    type: 'OAuthException',
    code: 9,
    error_subcode: 2207042,
    is_transient: false,
    error_user_title: 'Max. Limit Reached',
    error_user_msg: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.',
  });

/** Whether a Threads post or reply by this id is there to be replied to. */
export function isRepliable(world: MockWorld, id: string): boolean {
  const target = world.store.find(id);
  return target?.network === 'threads' && target.kind !== 'comment';
}

/** `reply_to_id` naming nothing Threads has (a wrong id, or a post deleted since): code 100, as the Graph API answers an id it cannot load. */
export const replyTargetGone = (id: string) =>
  graphError(400, {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 100,
    error_subcode: 33,
    error_user_msg: `reply_to_id: the post ${id} does not exist, cannot be loaded due to missing permissions, or cannot be replied to.`,
  });

/** What a create call asks for, as each network names it. */
export type ContainerRequest = { kind: 'text' } | { kind: 'image'; url: string } | { kind: 'video'; url: string } | { kind: 'carousel'; children: unknown };

/**
 * A new container from a create call's parameters (`body`: query and form
 * together): the media fetched and judged, the carousel's children checked;
 * nothing is kept when the answer is a refusal.
 */
export async function createContainer(
  world: MockWorld,
  network: 'threads' | 'instagram',
  account: Account,
  body: Record<string, unknown>,
  asked: ContainerRequest | { refusal: Answer },
  rules: UrlMediaRules,
  extra: { replyTo?: string } = {},
): Promise<Answer> {
  if ('refusal' in asked) return asked.refusal;
  const text = typeof body.text === 'string' ? body.text : typeof body.caption === 'string' ? body.caption : '';
  const alt = typeof body.alt_text === 'string' ? body.alt_text : undefined;
  const carouselItem = body.is_carousel_item === true || body.is_carousel_item === 'true';
  const mediaType = typeof body.media_type === 'string' ? body.media_type : asked.kind.toUpperCase();
  let facts: MediaFacts | undefined;
  let children: string[] = [];
  if (asked.kind === 'image' || asked.kind === 'video') {
    const fetched = await fetchForContainer(asked.url, asked.kind, rules);
    if ('refusal' in fetched) return fetched.refusal;
    facts = fetched.facts;
  } else if (asked.kind === 'carousel') {
    const checked = carouselChildren(world, network, account, asked.children, rules);
    if ('refusal' in checked) return checked.refusal;
    children = checked.children;
  }
  if (carouselItem && !facts) return invalidParameter('A carousel item must be an image or a video');
  const id = world.store.nextId();
  const processing = facts?.type === 'video' ? new Processing(1) : Processing.done();
  containerShelf(world, network).put(account, id, {
    id,
    mediaType,
    text,
    ...(facts ? { facts } : {}),
    ...(alt !== undefined ? { alt } : {}),
    children,
    carouselItem,
    processing,
    ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
  });
  return { status: 200, body: { id } };
}
