/**
 * TikTok videos and photo posts by Direct Post (Content Posting API): the creator's
 * settings first (`POST /v2/post/publish/creator_info/query/`, as TikTok
 * requires before every post: a video longer than the creator may post, or
 * a privacy or permission the creator does not offer, is refused before
 * anything is sent), then `POST /v2/post/publish/video/init/` with the
 * caption, the privacy (the post's own, else `SELF_ONLY`: all an unaudited
 * app may use), comments, duets and stitches as the post allows them (else
 * as the creator's settings do), and the video: by `FILE_UPLOAD` (the
 * default: TikTok answers an upload URL, and the chunks go there, see
 * tiktok.upload.ts) or by `PULL_FROM_URL` from Herald's signed media link
 * (TIKTOK_VIDEO_SOURCE=pull: TikTok pulls only from a domain the operator
 * verified with it). Photos go by `content/init`, always pulled from
 * Herald's links (see publishPhotos). The `publish_id` TikTok answers is
 * kept before a byte is sent (with the upload URL, as long as TikTok keeps
 * it), and `POST /v2/post/publish/status/fetch/` is polled until
 * `PUBLISH_COMPLETE` or `FAILED`. A retry or a lookup after a crash asks the kept publish id,
 * never posts again: an upload cut off goes on from what TikTok holds while
 * its URL is valid, and starts again (a new publish; the old one cannot
 * become a post) once it is not or TikTok says it failed. Without a kept id
 * (the init call's answer was lost) TikTok offers no way to find the post,
 * and the delivery is left unconfirmed.
 */
import { CallContext, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, pollUntil } from '../../base-adapter';
import { ContentViolation, PostContent } from '../../content';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { titleOf } from '../../rules/validate-content';
import { PublishableMedia } from '../../content';
import { withMediaLinksChecked } from '../meta/media-links';
import { creatorOf, creatorViolations, postSettingsOf, readCreator, tiktokOptionsOf } from './tiktok.creator';
import { tiktokError } from './tiktok.errors';
import { TIKTOK_UPLOAD_URL_TTL_MS, chunkPlan, sendChunks, uploadSource } from './tiktok.upload';

const POLL_MS = 1_000;
/** TikTok's reasons a pull failed because the link was out of its reach (Herald then asks its own link). */
const PULL_FAILURES = new Set(['video_pull_failed', 'photo_pull_failed', 'url_ownership_unverified']);
/** A photo post's title, at most [unverified: 90 characters, from the photo post reference]. */
const PHOTO_TITLE_MAX = 90;

type PublishState = { kind: 'done'; postId: string | undefined } | { kind: 'failed'; reason: string } | { kind: 'processing'; status: string; uploadedBytes: number };

/** How a video reaches TikTok: sent in chunks (`upload`), or pulled by TikTok from Herald's link (`pull`, from a domain verified with TikTok). */
export type TikTokVideoSource = 'upload' | 'pull';

export class TikTokAdapter extends BaseAdapter {
  readonly network = 'tiktok' as const;

  constructor(
    options: ConstructorParameters<typeof BaseAdapter>[0],
    private readonly apiUrl: string,
    private readonly videoSource: TikTokVideoSource = 'upload',
  ) {
    super(options);
  }

  /** The network's rules, then the creator's as kept when the channel connected (read again before posting). */
  override validate(content: PostContent, details: Record<string, unknown> = {}): ContentViolation[] {
    const violations = super.validate(content, details);
    const creator = creatorOf(details);
    return creator ? [...violations, ...creatorViolations(creator, content)] : violations;
  }

  publish(request: PublishRequest): Promise<PublishedPost> {
    return withMediaLinksChecked(request, () => this.publishOnce(request));
  }

  private async publishOnce(request: PublishRequest): Promise<PublishedPost> {
    const api = this.api(request);
    const video = request.content.media[0];
    // An earlier try's post, kept before its answer was lost or its upload cut off: finished, never posted again.
    if (request.ref) {
      const state = await this.state(api, request.ref);
      const uploadUrl = video ? request.uploads.get(uploadKey(video, request.ref)) : undefined;
      if (state.kind === 'processing' && state.status === 'PROCESSING_UPLOAD' && video && state.uploadedBytes < video.size) {
        // Not whole at TikTok: sent on while its URL is valid; past that TikTok never makes it a post, so it starts again.
        if (uploadUrl) {
          await sendChunks(api, uploadUrl, video, state.uploadedBytes, () => this.uploadedBytes(api, request.ref!));
          return this.finish(api, request, request.ref);
        }
      } else if (state.kind !== 'failed') {
        return this.finish(api, request, request.ref);
      }
    }
    const media = request.content.media;
    if (media.length > 0 && media.every((item) => item.type === 'image')) return this.publishPhotos(api, request, media);
    if (!video || video.type !== 'video') throw new NetworkError('rejected', 'media_required', 'A TikTok post needs one video, or 1 to 35 photos');
    const creator = await readCreator(api);
    const options = tiktokOptionsOf(request.content);
    const [refused] = creatorViolations(creator, { media: [{ type: 'video', mimeType: video.mimeType, ...(video.durationMs !== undefined ? { durationMs: video.durationMs } : {}) }], options: request.content.options });
    if (refused) throw new NetworkError('rejected', refused.code, refused.message);
    const upload = this.videoSource === 'upload';
    const { body } = await api.post('/v2/post/publish/video/init/', {
      post_info: { title: request.content.text, ...postSettingsOf(creator, options) },
      source_info: upload ? uploadSource(chunkPlan(video.size)) : { source: 'PULL_FROM_URL', video_url: video.publicUrl },
    });
    const publishId = field(body, 'data', 'publish_id');
    if (!publishId) throw new NetworkError('transient', 'bad_answer', 'TikTok answered video/init without a publish_id', { ambiguous: true });
    const uploadUrl = field(body, 'data', 'upload_url');
    if (upload) {
      if (!uploadUrl) throw new NetworkError('transient', 'bad_answer', 'TikTok answered a FILE_UPLOAD video/init without an upload_url', { ambiguous: false });
      await request.uploads.keep(uploadKey(video, publishId), uploadUrl, new Date(Date.now() + TIKTOK_UPLOAD_URL_TTL_MS));
    }
    await request.keepRef(publishId);
    if (upload) await sendChunks(api, uploadUrl!, video, 0, () => this.uploadedBytes(api, publishId));
    return this.finish(api, request, publishId);
  }

  /**
   * A photo post (`POST /v2/post/publish/content/init/`, `PHOTO`, `DIRECT_POST`):
   * TikTok pulls each photo from Herald's signed link (photos take no
   * upload), the first the cover; the text is the description, its first
   * line the title where it fits TikTok's 90 characters.
   */
  private async publishPhotos(api: NetworkClient, request: PublishRequest, photos: PublishableMedia[]): Promise<PublishedPost> {
    const creator = await readCreator(api);
    const [refused] = creatorViolations(creator, { media: photos.map((photo) => ({ type: 'image', mimeType: photo.mimeType })), options: request.content.options });
    if (refused) throw new NetworkError('rejected', refused.code, refused.message);
    const settings = postSettingsOf(creator, tiktokOptionsOf(request.content));
    const title = titleOf(request.content.text);
    const { body } = await api.post('/v2/post/publish/content/init/', {
      media_type: 'PHOTO',
      post_mode: 'DIRECT_POST',
      post_info: {
        ...(Array.from(title).length <= PHOTO_TITLE_MAX ? { title } : {}),
        description: request.content.text,
        privacy_level: settings.privacy_level,
        disable_comment: settings.disable_comment,
        brand_organic_toggle: settings.brand_organic_toggle,
        brand_content_toggle: settings.brand_content_toggle,
        auto_add_music: true,
      },
      source_info: { source: 'PULL_FROM_URL', photo_images: photos.map((photo) => photo.publicUrl), photo_cover_index: 0 },
    });
    const publishId = field(body, 'data', 'publish_id');
    if (!publishId) throw new NetworkError('transient', 'bad_answer', 'TikTok answered content/init without a publish_id', { ambiguous: true });
    await request.keepRef(publishId);
    return this.finish(api, request, publishId);
  }

  /** What TikTok holds of the publish's upload, while it is uploading; undefined once it is past that. */
  private async uploadedBytes(api: NetworkClient, publishId: string): Promise<number | undefined> {
    const state = await this.state(api, publishId);
    return state.kind === 'processing' && state.status === 'PROCESSING_UPLOAD' ? state.uploadedBytes : undefined;
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    if (!request.ref) {
      throw new NetworkError('transient', 'lookup_unavailable', "TikTok's answer to the post was lost before its publish_id was kept, and TikTok offers no list of a creator's posts to find it in: check the TikTok app", { ambiguous: true });
    }
    const api = this.api(request);
    const state = await this.state(api, request.ref);
    if (state.kind === 'failed') return null;
    // An upload TikTok does not hold all of is no post, and becomes none unless Herald sends the rest: the retry (with the ref) does.
    const size = request.content.media[0]?.size;
    if (state.kind === 'processing' && state.status === 'PROCESSING_UPLOAD' && size !== undefined && state.uploadedBytes < size) return null;
    if (state.kind === 'processing') throw new NetworkError('transient', 'media_processing', `TikTok is still publishing the video (${state.status})`, { ambiguous: true });
    return toPublished(request, request.ref, state.postId);
  }

  protected toError(reply: HttpReply): NetworkError {
    return tiktokError(reply);
  }

  /** Polls the publish until TikTok says it is complete (the post) or failed (refused, with its reason). */
  private async finish(api: NetworkClient, request: PublishRequest, publishId: string): Promise<PublishedPost> {
    const done = await pollUntil<Exclude<PublishState, { kind: 'processing' }>>(request, 'The TikTok video', async () => {
      const state = await this.state(api, publishId);
      if (state.kind === 'processing') return { waitMs: POLL_MS };
      return { done: state };
    });
    if (done.kind === 'failed') {
      const code = PULL_FAILURES.has(done.reason) ? 'media_download_failed' : done.reason;
      throw new NetworkError('rejected', code, `TikTok could not publish the post: ${done.reason}`);
    }
    return toPublished(request, publishId, done.postId);
  }

  /** `POST /v2/post/publish/status/fetch/`: where the publish is. */
  private async state(api: NetworkClient, publishId: string): Promise<PublishState> {
    const { body } = await api.post('/v2/post/publish/status/fetch/', { publish_id: publishId });
    const status = field(body, 'data', 'status') ?? '';
    if (status === 'PUBLISH_COMPLETE') return { kind: 'done', postId: list(body, 'data', 'publicaly_available_post_id').map(String)[0] };
    if (status === 'FAILED') return { kind: 'failed', reason: field(body, 'data', 'fail_reason') ?? 'unknown' };
    return { kind: 'processing', status: status || 'unknown', uploadedBytes: Number(field(body, 'data', 'uploaded_bytes') ?? 0) || 0 };
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.apiUrl, context);
  }
}

/** The kept upload URL of one publish of this file: a retry sends on to it only for that publish. */
function uploadKey(video: PublishableMedia, publishId: string): string {
  return `${video.key}:upload:${publishId}`;
}

/**
 * A private (`SELF_ONLY`) video has no public id: the publish id is Herald's
 * record of it, and the link is the creator's profile. A public one's id
 * makes its link.
 */
function toPublished(context: CallContext, publishId: string, postId: string | undefined): PublishedPost {
  const profile = `https://www.tiktok.com/@${encodeURIComponent(context.credentials.handle)}`;
  return postId ? { externalId: postId, externalUrl: `${profile}/video/${postId}` } : { externalId: publishId, externalUrl: profile };
}
