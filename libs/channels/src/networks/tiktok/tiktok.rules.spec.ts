import { validateContent } from '../../rules/validate-content';
import { TikTokCreator, creatorOf, creatorViolations, postSettingsOf } from './tiktok.creator';
import { tiktokError } from './tiktok.errors';
import { TIKTOK_CHUNK_BYTES, chunkPlan, chunkRange } from './tiktok.upload';

const video = { mediaId: 'm1', type: 'video' as const, mimeType: 'video/mp4', size: 20_000_000, width: 1080, height: 1920, durationMs: 60_000 };
const codes = (text: string, media: object[] = [video]) => validateContent('tiktok', { text, media }).map((violation) => violation.code);
const creator: TikTokCreator = { privacyLevelOptions: ['PUBLIC_TO_EVERYONE', 'SELF_ONLY'], commentDisabled: false, duetDisabled: true, stitchDisabled: false, maxVideoPostDurationSec: 60 };
const reply = (status: number, code: string, message = 'm') => ({ status, headers: { get: () => null }, body: { data: {}, error: { code, message, log_id: 'L1' } } });

describe("TikTok's rules (its descriptor) and the creator's", () => {
  it('wants one video, or 1 to 35 photos never mixed with it, and a caption of at most 2,200 characters, up to 10 minutes', () => {
    expect(codes('c'.repeat(2200))).toEqual([]);
    expect(codes('c'.repeat(2201))).toEqual(['text_too_long']);
    expect(codes('No video', [])).toEqual(['media_required']);
    expect(codes('Two', [video, video])).toContain('too_many_videos');
    expect(codes('Long', [{ ...video, durationMs: 601_000 }])).toEqual(['video_too_long']);
    const photo = { mediaId: 'm2', type: 'image' as const, mimeType: 'image/jpeg', size: 200_000, width: 1080, height: 1350 };
    expect(codes('A photo post', Array.from({ length: 35 }, () => photo))).toEqual([]);
    expect(codes('Too many', Array.from({ length: 36 }, () => photo))).toContain('too_many_images');
    expect(codes('Mixed', [photo, video]).length).toBeGreaterThan(0);
    // A PNG, or a photo over 1080p, is made a JPEG that fits (TikTok takes neither as it is).
    expect(codes('A PNG', [{ ...photo, mimeType: 'image/png' }])).toEqual([]);
    expect(codes('Large', [{ ...photo, width: 4000, height: 3000 }])).toEqual([]);
    expect(validateContent('tiktok', { text: 'A photo', media: [photo], options: { allowDuet: true } }).map((violation) => violation.field)).toEqual(['allowDuet']);
  });

  it("refuses a privacy the creator does not offer and what the creator turned off, each naming its option (networkOptions.tiktok)", () => {
    const judged = (options: Record<string, unknown>) => creatorViolations(creator, { media: [video], options });
    expect(judged({ privacy: 'PUBLIC_TO_EVERYONE', allowComments: true, allowStitch: true, allowDuet: false })).toEqual([]);
    expect(judged({ privacy: 'FOLLOWER_OF_CREATOR' })).toEqual([{ code: 'privacy_level_unavailable', field: 'privacy', message: expect.stringMatching(/offers PUBLIC_TO_EVERYONE, SELF_ONLY; the post asks for FOLLOWER_OF_CREATOR/) }]);
    expect(judged({ allowDuet: true }).map(({ code, field }) => `${code} ${field}`)).toEqual(['duets_turned_off allowDuet']);
    const closed = { ...creator, commentDisabled: true, stitchDisabled: true };
    expect(creatorViolations(closed, { media: [video], options: { allowComments: true, allowStitch: true } }).map((violation) => violation.field)).toEqual(['allowComments', 'allowStitch']);
    // Branded content is never private: refused with SELF_ONLY, asked for or by default; the creator's own brand may be.
    expect(judged({ brandedContent: true }).map(({ code, field }) => `${code} ${field}`)).toEqual(['branded_content_private brandedContent']);
    expect(judged({ privacy: 'SELF_ONLY', brandedContent: true }).map(({ code }) => code)).toEqual(['branded_content_private']);
    expect(judged({ privacy: 'PUBLIC_TO_EVERYONE', brandedContent: true })).toEqual([]);
    expect(judged({ yourBrand: true })).toEqual([]);
  });

  it("sends the post's privacy and permissions, else SELF_ONLY and the creator's settings", () => {
    const promotesNothing = { brand_organic_toggle: false, brand_content_toggle: false };
    expect(postSettingsOf(creator, {})).toEqual({ privacy_level: 'SELF_ONLY', disable_comment: false, disable_duet: true, disable_stitch: false, ...promotesNothing });
    expect(postSettingsOf(creator, { privacy: 'PUBLIC_TO_EVERYONE', allowComments: false, allowStitch: false })).toEqual({ privacy_level: 'PUBLIC_TO_EVERYONE', disable_comment: true, disable_duet: true, disable_stitch: true, ...promotesNothing });
    // What the post promotes, as TikTok's toggles.
    expect(postSettingsOf(creator, { yourBrand: true })).toMatchObject({ brand_organic_toggle: true, brand_content_toggle: false });
    expect(postSettingsOf(creator, { privacy: 'PUBLIC_TO_EVERYONE', brandedContent: true })).toMatchObject({ brand_organic_toggle: false, brand_content_toggle: true });
  });

  it("refuses a video longer than the creator may post, and a creator that does not offer SELF_ONLY", () => {
    expect(creatorViolations(creator, { media: [video] })).toEqual([]);
    expect(creatorViolations(creator, { media: [{ ...video, durationMs: 61_000 }] }).map((violation) => violation.code)).toEqual(['video_too_long_for_creator']);
    expect(creatorViolations({ ...creator, privacyLevelOptions: ['PUBLIC_TO_EVERYONE'] }, { media: [video] })[0]).toMatchObject({ code: 'privacy_level_unavailable', message: expect.stringMatching(/SELF_ONLY/) });
    expect(creatorOf({ creator })).toEqual(creator);
    expect(creatorOf({})).toBeUndefined();
    expect(creatorOf({ creator: { privacyLevelOptions: 'SELF_ONLY' } })).toBeUndefined();
  });

  it("reads TikTok's errors: a lapsed token, a scope not granted, limits, a refusal with its code and log id", () => {
    expect(tiktokError(reply(401, 'access_token_invalid'))).toMatchObject({ errorClass: 'auth_expired' });
    expect(tiktokError(reply(401, 'scope_not_authorized'))).toMatchObject({ errorClass: 'auth_revoked', code: 'scope_not_authorized' });
    expect(tiktokError(reply(429, 'rate_limit_exceeded'))).toMatchObject({ errorClass: 'rate_limited' });
    expect(tiktokError(reply(403, 'spam_risk_too_many_posts'))).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 86_400_000 });
    expect(tiktokError(reply(500, 'internal_error'))).toMatchObject({ errorClass: 'transient' });
    const refused = tiktokError(reply(403, 'unaudited_client_can_only_post_to_private_accounts', 'Unaudited'));
    expect(refused).toMatchObject({ errorClass: 'rejected', code: 'unaudited_client_can_only_post_to_private_accounts' });
    expect(refused.message).toMatch(/Unaudited \(log id L1\)/);
  });

  it("cuts an upload as TikTok's chunk rules want: whole under a chunk, else 8 MiB chunks with the rest in the last", () => {
    const MiB = 1024 * 1024;
    expect(chunkPlan(3 * MiB)).toEqual({ videoSize: 3 * MiB, chunkSize: 3 * MiB, totalChunkCount: 1 });
    expect(chunkPlan(TIKTOK_CHUNK_BYTES)).toEqual({ videoSize: TIKTOK_CHUNK_BYTES, chunkSize: TIKTOK_CHUNK_BYTES, totalChunkCount: 1 });
    // 12 MiB: one chunk of 8 MiB rounded down, so the only chunk carries all 12 (the last may exceed chunk_size).
    expect(chunkPlan(12 * MiB)).toEqual({ videoSize: 12 * MiB, chunkSize: TIKTOK_CHUNK_BYTES, totalChunkCount: 1 });
    const plan = chunkPlan(17 * MiB + 5);
    expect(plan.totalChunkCount).toBe(2);
    expect([chunkRange(plan, 0), chunkRange(plan, 1)]).toEqual([{ start: 0, end: 8 * MiB }, { start: 8 * MiB, end: 17 * MiB + 5 }]);
    // 4 GB, TikTok's largest video: within its 1,000 chunks.
    expect(chunkPlan(4 * 1024 * MiB).totalChunkCount).toBe(512);
  });
});
