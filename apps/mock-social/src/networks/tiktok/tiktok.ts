/**
 * TikTok's Content Posting API (Direct Post) at its own origin: the user
 * (`GET /v2/user/info/`), the creator's settings (`POST
 * /v2/post/publish/creator_info/query/`: privacy levels, comment, duet and
 * stitch, the longest video in seconds), a video post pulled from a URL
 * (`POST /v2/post/publish/video/init/` with `source_info.source =
 * PULL_FROM_URL`; the mock fetches the URL after answering the `publish_id`)
 * or uploaded (`FILE_UPLOAD`: an `upload_url` answered, the chunks PUT there),
 * and where a post is (`POST /v2/post/publish/status/fetch/`:
 * `PROCESSING_DOWNLOAD`, then `PUBLISH_COMPLETE` or `FAILED` with its
 * `fail_reason`). Its own rules: a caption of 2,200 characters, a privacy
 * the creator offers, and, the mock's apps being unaudited, `SELF_ONLY`
 * only (`unaudited_client_can_only_post_to_private_accounts`); an MP4, WebM
 * or MOV video no longer than the creator may post. A private post has no
 * public id (`publicaly_available_post_id` is empty, TikTok's spelling).
 * `FILE_UPLOAD` as TikTok's chunk rules want it (tiktok.upload.ts), the
 * status `PROCESSING_UPLOAD` with its `uploaded_bytes` until the file is
 * whole.
 * Photo posts (`POST /v2/post/publish/content/init/`, tiktok.photo.ts):
 * 1 to 35 JPEG or WebP photos pulled from their URLs, published like a
 * video once all are fetched.
 * `PUT /_mock/creator` on this origin sets one creator's settings.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ContentRefused, Principal } from '../../gate';
import { Answer, fieldsOf, queryOf, send } from '../../http/answer';
import { fetchPublicMedia } from '../../media/fetch-public';
import { MediaFacts, inspectMedia } from '../../media/inspect';
import { MockWorld } from '../../world';
import { openIdOf, registerTikTokOAuth } from './tiktok.oauth';
import { tiktokBody, tiktokFace } from './tiktok.face';
import { MAX_PHOTO_BYTES, PhotoPost, photoFailure, photoPostOf } from './tiktok.photo';
import { VideoUpload, registerTikTokUploads, uploadOf, uploadUrlOf } from './tiktok.upload';

const CAPTION_MAX = 2200;
const VIDEO_TYPES = new Set(['video/mp4', 'video/webm', 'video/quicktime']);
const MAX_PULL_BYTES = 512 * 1024 * 1024;
/** How long TikTok takes at least to publish a pulled video, so a caller polls. */
const PROCESSING_MS = 600;
const PRIVACY_LEVELS = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'];

export interface CreatorSettings {
  privacyLevelOptions: string[];
  commentDisabled: boolean;
  duetDisabled: boolean;
  stitchDisabled: boolean;
  maxVideoPostDurationSec: number;
}

const DEFAULT_CREATOR: CreatorSettings = { privacyLevelOptions: PRIVACY_LEVELS, commentDisabled: false, duetDisabled: false, stitchDisabled: false, maxVideoPostDurationSec: 600 };

interface Publish {
  handle: string;
  status: 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'PUBLISH_COMPLETE' | 'FAILED';
  failReason?: string;
  postId?: string;
  privacy: string;
  /** What the post disclosed it promotes (`brand_organic_toggle`, `brand_content_toggle`). */
  disclosure: { yourBrand: boolean; brandedContent: boolean };
  /** A FILE_UPLOAD's file, as it arrives. */
  upload?: VideoUpload;
}

/** What a post's `post_info` disclosed it promotes. */
function disclosureOf(info: Record<string, unknown>): Publish['disclosure'] {
  return { yourBrand: info.brand_organic_toggle === true, brandedContent: info.brand_content_toggle === true };
}

/** The labels TikTok shows on a post for what it disclosed. */
function labelsOf(publish: Publish): string[] {
  return [...(publish.disclosure.yourBrand ? ['Promotional content'] : []), ...(publish.disclosure.brandedContent ? ['Paid partnership'] : [])];
}

export function registerTikTok(app: FastifyInstance, world: MockWorld): void {
  const face = tiktokFace(world);
  const { gate, store } = world;
  const creators = new Map<string, CreatorSettings>();
  const publishes = new Map<string, Publish>();
  const uploads = new Map<string, VideoUpload>();
  const whenWhole = new WeakMap<VideoUpload, (bytes: Buffer) => void>();
  registerTikTokOAuth(app, world);
  const creatorOf = (handle: string) => creators.get(handle) ?? DEFAULT_CREATOR;
  const refuse = (message: string, code = 'invalid_params', status = 400) => new ContentRefused(message, { status, body: tiktokBody({}, code, message) });
  const needsScope = (account: Principal, scope: string): Answer | undefined =>
    (account.scope ?? '').split(',').includes(scope) ? undefined : { status: 401, body: tiktokBody({}, 'scope_not_authorized', `The user did not authorize the scope required for completing this request: ${scope}`) };

  app.put('/_mock/creator', (request, reply) => {
    const body = fieldsOf(request) as Partial<CreatorSettings> & { handle?: unknown };
    if (typeof body.handle !== 'string' || body.handle === '') return send(reply, { status: 400, body: { error: 'handle is required' } });
    const merged = { ...creatorOf(body.handle), ...body } as CreatorSettings & { handle?: string };
    delete merged.handle;
    if (!Array.isArray(merged.privacyLevelOptions) || merged.privacyLevelOptions.some((level) => !PRIVACY_LEVELS.includes(level))) {
      return send(reply, { status: 400, body: { error: `privacyLevelOptions must be some of ${PRIVACY_LEVELS.join(', ')}` } });
    }
    if (!Number.isInteger(merged.maxVideoPostDurationSec) || merged.maxVideoPostDurationSec < 1) return send(reply, { status: 400, body: { error: 'maxVideoPostDurationSec must be a whole number from 1' } });
    creators.set(body.handle, merged);
    return send(reply, { status: 200, body: merged });
  });

  app.get('/v2/user/info/', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const asked = (queryOf(request).fields ?? '').split(',').filter(Boolean);
      if (asked.length === 0) return { status: 400, body: tiktokBody({}, 'invalid_params', 'fields is required') };
      const profile = world.profiles.of(account);
      const user: Record<string, string> = {
        open_id: openIdOf(account.handle),
        union_id: `u${openIdOf(account.handle)}`,
        avatar_url: `${world.url('tiktok')}${profile.avatarPath}`,
        display_name: profile.displayName,
        ...((account.scope ?? '').split(',').includes('user.info.profile') ? { username: account.handle } : {}),
      };
      return { status: 200, body: tiktokBody({ user: Object.fromEntries(Object.entries(user).filter(([key]) => asked.includes(key))) }) };
    }),
  );

  app.post('/v2/post/publish/creator_info/query/', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const missing = needsScope(account, 'video.publish');
      if (missing) return missing;
      const creator = creatorOf(account.handle);
      return {
        status: 200,
        body: tiktokBody({
          creator_avatar_url: `${world.url('tiktok')}${world.profiles.of(account).avatarPath}`,
          creator_username: account.handle,
          creator_nickname: world.profiles.of(account).displayName,
          privacy_level_options: creator.privacyLevelOptions,
          comment_disabled: creator.commentDisabled,
          duet_disabled: creator.duetDisabled,
          stitch_disabled: creator.stitchDisabled,
          max_video_post_duration_sec: creator.maxVideoPostDurationSec,
        }),
      };
    }),
  );

  app.post('/v2/post/publish/video/init/', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const missing = needsScope(account, 'video.publish');
      if (missing) return missing;
      const body = fieldsOf(request) as { post_info?: Record<string, unknown>; source_info?: Record<string, unknown> };
      const info = body.post_info ?? {};
      const source = body.source_info ?? {};
      const title = info.title ?? '';
      if (typeof title !== 'string' || title.length > CAPTION_MAX) throw refuse(`post_info.title must be a string of at most ${CAPTION_MAX} characters`);
      const creator = creatorOf(account.handle);
      const privacy = judgePrivacy(info, creator, ['disable_comment', 'disable_duet', 'disable_stitch']);
      if (source.source === 'FILE_UPLOAD') {
        const upload = uploadOf(account, source, refuse);
        const publishId = `v_pub_file~v2-1.${randomBytes(12).toString('hex')}`;
        const { url, key } = uploadUrlOf(world);
        publishes.set(publishId, { handle: account.handle, status: 'PROCESSING_UPLOAD', privacy, disclosure: disclosureOf(info), upload });
        uploads.set(key, upload);
        whenWhole.set(upload, (bytes) => void judge(publishes.get(publishId)!, Promise.resolve(inspectMedia(bytes)), account, title, creator, upload.bytesReceived));
        return { status: 200, body: tiktokBody({ publish_id: publishId, upload_url: url }) };
      }
      if (source.source !== 'PULL_FROM_URL') throw refuse('source_info.source must be PULL_FROM_URL or FILE_UPLOAD');
      if (typeof source.video_url !== 'string' || source.video_url === '') throw refuse('source_info.video_url is required');
      const publishId = `v_pub_url~v2-1.${randomBytes(12).toString('hex')}`;
      const publish: Publish = { handle: account.handle, status: 'PROCESSING_DOWNLOAD', privacy, disclosure: disclosureOf(info) };
      publishes.set(publishId, publish);
      const pulled = fetchPublicMedia(source.video_url, MAX_PULL_BYTES).then((fetched) => (fetched.ok ? fetched.facts : undefined), () => undefined);
      void judge(publish, pulled, account, title, creator);
      return { status: 200, body: tiktokBody({ publish_id: publishId }) };
    }),
  );

  app.post('/v2/post/publish/status/fetch/', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const publishId = fieldsOf(request).publish_id;
      const publish = typeof publishId === 'string' ? publishes.get(publishId) : undefined;
      if (!publish || publish.handle !== account.handle) return { status: 400, body: tiktokBody({}, 'invalid_params', 'publish_id is invalid or not found') };
      return {
        status: 200,
        body: tiktokBody({
          status: publish.status,
          ...(publish.failReason ? { fail_reason: publish.failReason } : {}),
          publicaly_available_post_id: publish.postId && publish.privacy !== 'SELF_ONLY' ? [Number(publish.postId)] : [],
          uploaded_bytes: publish.upload?.held ?? 0,
        }),
      };
    }),
  );

  // A photo post: 1 to 35 photos pulled from their URLs, judged once all are fetched.
  app.post('/v2/post/publish/content/init/', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const missing = needsScope(account, 'video.publish');
      if (missing) return missing;
      const body = fieldsOf(request);
      const photos = photoPostOf(body, refuse);
      const creator = creatorOf(account.handle);
      // Duets and stitches are for videos: a photo post says only whether others may comment.
      const info = (body.post_info ?? {}) as Record<string, unknown>;
      const privacy = judgePrivacy(info, creator, ['disable_comment']);
      const publishId = `p_pub_url~v2.${randomBytes(12).toString('hex')}`;
      const publish: Publish = { handle: account.handle, status: 'PROCESSING_DOWNLOAD', privacy, disclosure: disclosureOf(info) };
      publishes.set(publishId, publish);
      void pullPhotos(publish, photos, account);
      return { status: 200, body: tiktokBody({ publish_id: publishId }) };
    }),
  );

  /** Who sees the post, judged against the creator's settings (and the mock's apps being unaudited); settings the creator turned off must stay off. */
  function judgePrivacy(info: Record<string, unknown>, creator: CreatorSettings, settings: ReadonlyArray<'disable_comment' | 'disable_duet' | 'disable_stitch'>): string {
    const privacy = info.privacy_level;
    if (typeof privacy !== 'string' || !creator.privacyLevelOptions.includes(privacy)) {
      throw refuse(`post_info.privacy_level must be one of the creator's options: ${creator.privacyLevelOptions.join(', ')}`, 'privacy_level_option_mismatch');
    }
    // TikTok's content sharing guidelines: branded content cannot be private.
    if (info.brand_content_toggle === true && privacy === 'SELF_ONLY') throw refuse('Branded content (brand_content_toggle) cannot be posted with privacy_level SELF_ONLY');
    if (privacy !== 'SELF_ONLY') throw refuse('Unaudited clients can only post to a private account (SELF_ONLY)', 'unaudited_client_can_only_post_to_private_accounts', 403);
    const off = { disable_comment: creator.commentDisabled, disable_duet: creator.duetDisabled, disable_stitch: creator.stitchDisabled };
    for (const setting of settings) {
      if (off[setting] && info[setting] !== true) throw refuse(`post_info.${setting} must be true: the creator turned it off`);
    }
    return privacy;
  }

  /** Fetches every photo, judges them, and publishes the post (the description its text), or fails it with TikTok's reason. */
  async function pullPhotos(publish: Publish, photos: PhotoPost, account: Principal): Promise<void> {
    const started = Date.now();
    const fetched = await Promise.all(photos.urls.map((url) => fetchPublicMedia(url, MAX_PHOTO_BYTES).then((got) => (got.ok ? got.facts : undefined), () => undefined)));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PROCESSING_MS - (Date.now() - started))));
    const failure = fetched.map(photoFailure).find((reason) => reason !== undefined);
    if (failure) return fail(publish, failure);
    const post = store.accept(account, photos.description, fetched as MediaFacts[], { visibility: publish.privacy, labels: labelsOf(publish), record: { title: photos.title, cover: photos.cover } });
    publish.postId = post.id;
    publish.status = 'PUBLISH_COMPLETE';
  }

  registerTikTokUploads(app, world, face, uploads, (upload, bytes) => whenWhole.get(upload)?.(bytes));

  /** Judges the video (pulled, or uploaded whole) and publishes it, or fails it with TikTok's reason, no sooner than TikTok would. */
  async function judge(publish: Publish, video: Promise<MediaFacts | undefined>, account: Principal, title: string, creator: CreatorSettings, bytesReceived?: number): Promise<void> {
    const started = Date.now();
    if (publish.upload) publish.status = 'PROCESSING_DOWNLOAD';
    const facts = await video;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PROCESSING_MS - (Date.now() - started))));
    if (!facts) return fail(publish, publish.upload ? 'file_format_check_failed' : 'video_pull_failed');
    if (facts.type !== 'video' || !VIDEO_TYPES.has(facts.mimeType)) return fail(publish, 'file_format_check_failed');
    if (facts.durationMs !== undefined && facts.durationMs > creator.maxVideoPostDurationSec * 1000) return fail(publish, 'duration_check_failed');
    const post = store.accept(account, title, [facts], { visibility: publish.privacy, labels: labelsOf(publish), ...(bytesReceived !== undefined ? { bytesReceived } : {}) });
    publish.postId = post.id;
    publish.status = 'PUBLISH_COMPLETE';
  }
}

function fail(publish: Publish, reason: string): void {
  publish.status = 'FAILED';
  publish.failReason = reason;
}
