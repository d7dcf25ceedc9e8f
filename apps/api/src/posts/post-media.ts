/**
 * A post's media as the library knows them, for the checks and the
 * publish: items naming a `mediaId` are looked up in the workspace's
 * library, items naming a `url` are imported into it (so the post no
 * longer depends on the URL). Once a post is accepted, the versions its
 * channels' networks need are made (`prepare`), so its publish only reads.
 */
import { Injectable, Logger } from '@nestjs/common';
import { MediaItem, Network, UrlPolicy, fitPlan } from '@herald/channels';
import { MediaRecord, MediaRepository, MediaValue, Post, Tenant } from '@herald/db';
import { DraftContent, DraftPart, checkMediaUrls, parseVariants } from './content-check';
import type { CreatePostDto } from './dto';
import type { PlacementRequest } from './placement/placement-check';
import { MediaLibrary, MediaRefused, mediaItemOf } from '@herald/media';
import { FieldError, MalformedRequest, Problem, UnprocessableRequest } from '../common/problems';

export interface MediaInput {
  mediaId?: string;
  url?: string;
  alt?: string;
  type?: 'image' | 'video';
}

@Injectable()
export class PostMedia {
  private readonly logger = new Logger(PostMedia.name);

  constructor(
    private readonly library: MediaLibrary,
    private readonly media: MediaRepository,
  ) {}

  /**
   * The items with what the library measured of each file. `importUrls`:
   * a URL item is fetched into the library (new input); otherwise (a post's
   * stored items from before the library) it stays a URL. Every item that
   * cannot be resolved is named in one 422.
   */
  async resolve(tenant: Tenant, items: MediaInput[] | undefined, options: { importUrls: boolean } = { importUrls: true }): Promise<MediaItem[]> {
    if (!items || items.length === 0) return [];
    const errors: FieldError[] = [];
    const found = new Map((await this.media.among(tenant, [...new Set(items.flatMap((item) => (item.mediaId ? [item.mediaId.toLowerCase()] : [])))])).map((row) => [row.id, row]));
    const resolved: MediaItem[] = [];
    for (const [index, item] of items.entries()) {
      const alt = item.alt;
      if (item.mediaId) {
        const media = found.get(item.mediaId.toLowerCase());
        if (!media) errors.push({ path: `media[${index}].mediaId`, message: `is not a media of this workspace (${item.mediaId})` });
        else resolved.push(mediaItemOf(media, alt));
      } else if (item.url && options.importUrls) {
        try {
          const { media } = await this.library.import(tenant, item.url);
          resolved.push(mediaItemOf(media, alt));
        } catch (error) {
          if (!(error instanceof MediaRefused)) throw error;
          errors.push({ path: `media[${index}].url`, message: error.message });
        }
      } else if (item.url) {
        resolved.push({ url: item.url, ...(alt !== undefined ? { alt } : {}), ...(item.type ? { type: item.type } : {}) });
      }
    }
    if (errors.length > 0) throw new UnprocessableRequest(errors.map((error) => `${error.path} ${error.message}`).join('; '), errors);
    return resolved;
  }

  /**
   * A create's body as the placement core takes it, its media resolved:
   * `text` and `media`, or `parts` (one part is a post as with `text`; two
   * or more are a thread, the first standing for `text` and `media`), and
   * its `firstComment`. Giving both `text`/`media` and `parts` is a 400.
   */
  async resolveRequest(tenant: Tenant, input: CreatePostDto, urls: UrlPolicy, options: { importUrls: boolean } = { importUrls: true }): Promise<PlacementRequest> {
    const { parts: asked, firstComment, ...rest } = input;
    if (!asked) {
      if (input.media) checkMediaUrls(urls, input.media);
      return { ...rest, media: await this.resolve(tenant, input.media, options), ...(firstComment ? { firstComment: { text: firstComment.text } } : {}) };
    }
    if (input.text !== undefined || input.media !== undefined) {
      throw new MalformedRequest('A post gives text and media, or parts, not both', [{ path: 'parts', message: 'give text and media, or parts, not both' }]);
    }
    const parts = await this.resolveParts(tenant, asked, urls, options);
    return {
      ...rest,
      text: parts[0]!.text,
      media: parts[0]!.media,
      ...(parts.length > 1 ? { parts } : {}),
      ...(firstComment ? { firstComment: { text: firstComment.text } } : {}),
    };
  }

  /**
   * Each part's media resolved (see `resolve`) and its own texts per channel
   * read (parts after the first: the first part's are the post's
   * `variants`); a problem's path names the part (`parts[i].media[j]`,
   * `parts[i].variants.<id>`).
   */
  async resolveParts(
    tenant: Tenant,
    parts: { text: string; media?: MediaInput[]; variants?: Record<string, unknown> }[],
    urls: UrlPolicy,
    options: { importUrls: boolean } = { importUrls: true },
  ): Promise<DraftPart[]> {
    const resolved: DraftPart[] = [];
    for (const [index, part] of parts.entries()) {
      if (index === 0 && part.variants !== undefined) {
        throw new MalformedRequest("The first part's text per channel is the post's variants, not parts[0].variants", [
          { path: 'parts[0].variants', message: 'give the first part\'s per-channel texts in variants' },
        ]);
      }
      try {
        if (part.media) checkMediaUrls(urls, part.media);
        const variants = part.variants === undefined ? undefined : parseVariants(part.variants);
        resolved.push({ text: part.text, media: await this.resolve(tenant, part.media, options), ...(variants && Object.keys(variants).length > 0 ? { variants } : {}) });
      } catch (error) {
        if (error instanceof UnprocessableRequest || error instanceof MalformedRequest) {
          const errors = (error.errors ?? []).map((field) => ({ ...field, path: `parts[${index}].${field.path}` }));
          const Refusal = error instanceof MalformedRequest ? MalformedRequest : UnprocessableRequest;
          throw new Refusal(errors.map((field) => `${field.path} ${field.message}`).join('; '), errors);
        }
        throw error;
      }
    }
    return resolved;
  }

  /** A stored post's content as the checks take it: its media, and each part's, as the library knows them now. */
  async storedContent(tenant: Tenant, post: Post): Promise<DraftContent> {
    const media = await this.resolve(tenant, post.media, { importUrls: false });
    const parts = post.parts
      ? await Promise.all(
          post.parts.map(async (part) => ({ text: part.text, media: await this.resolve(tenant, part.media, { importUrls: false }), ...(part.variants ? { variants: part.variants } : {}) })),
        )
      : undefined;
    return { text: post.text, media, variants: post.variants, ...(parts ? { parts } : {}), ...(post.firstComment ? { firstComment: post.firstComment } : {}), networkOptions: post.networkOptions ?? {} };
  }

  /**
   * Makes, for each network the post goes to, the versions of its images
   * that network needs (resized or converted; see `fitPlan`), and marks the
   * files used. A version that cannot be made now is made at publish time.
   */
  async prepare(tenant: Tenant, items: MediaItem[], networks: Iterable<string>): Promise<void> {
    const ids = items.flatMap((item) => (item.mediaId ? [item.mediaId] : []));
    if (ids.length === 0) return;
    const rows = new Map((await this.media.among(tenant, ids)).map((row) => [row.id, row]));
    for (const network of new Set(networks)) {
      for (const item of items) {
        const plan = fitPlan(network as Network, item);
        const media = item.mediaId ? rows.get(item.mediaId) : undefined;
        if (!plan || !media) continue;
        await this.fitNow(tenant, media, plan, network);
      }
    }
    await this.media.touch(tenant, ids);
  }

  private async fitNow(tenant: Tenant, media: MediaRecord, plan: NonNullable<ReturnType<typeof fitPlan>>, network: string): Promise<void> {
    try {
      await this.library.fit(tenant, media, plan);
    } catch (error) {
      if (error instanceof Problem) throw error;
      this.logger.warn({ msg: 'media version not made at schedule time; the publish makes it', mediaId: media.id, network, err: (error as Error).message });
    }
  }
}

/** What a post keeps of its media: the library's id and the alt text (or, for items from before the library, the URL). */
export function storedMedia(items: MediaItem[]): MediaValue[] {
  return items.map((item) =>
    item.mediaId
      ? { mediaId: item.mediaId, ...(item.alt !== undefined ? { alt: item.alt } : {}) }
      : { url: item.url!, ...(item.alt !== undefined ? { alt: item.alt } : {}), ...(item.type ? { type: item.type } : {}) },
  );
}
