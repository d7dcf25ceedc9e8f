import { validateContent } from '../../rules/validate-content';
import { isShort, metadataOf, tagsOf } from './youtube.adapter';
import { untilPacificMidnight, youtubeError } from './youtube.errors';

const video = { mediaId: 'm1', type: 'video' as const, mimeType: 'video/mp4', size: 20_000_000, width: 1920, height: 1080, durationMs: 60_000 };
const codes = (text: string, media: object[] = [video]) => validateContent('youtube', { text, media }).map((violation) => violation.code);

describe("YouTube's rules (its descriptor)", () => {
  it('wants one video, a title (the first line) of at most 100 characters, and a description of at most 5000 characters and bytes', () => {
    expect(codes('A title\nand a description')).toEqual([]);
    expect(codes('A title', [])).toEqual(['media_required']);
    expect(codes('Two', [video, video])).toContain('too_many_videos');
    expect(codes('A still', [{ mediaId: 'm2', type: 'image', mimeType: 'image/png', size: 1000, width: 10, height: 10 }])).toContain('too_many_images');
    expect(codes(`${'é'.repeat(100)}\nmore`)).toEqual([]);
    expect(codes(`${'é'.repeat(101)}\nmore`)).toEqual(['title_too_long']);
    expect(codes('\nno title on the first line')).toEqual(['title_required']);
    expect(codes(`Title\n${'a'.repeat(4990)}`)).toEqual([]);
    // 2 bytes each: 2,600 characters are 5,200 bytes.
    expect(codes(`Title\n${'é'.repeat(2600)}`)).toEqual(['text_too_many_bytes']);
    expect(codes('A <b>bold</b> title')).toEqual(['text_forbidden_characters']);
    expect(codes('Too long', [{ ...video, durationMs: 13 * 3_600_000 }])).toEqual(['video_too_long']);
  });

  it('sends the first line as the title, the whole text as the description, its hashtags as tags, public', () => {
    const text = 'Spring walk\nThrough the beds #garden #Spring #garden and c#sharp';
    expect(metadataOf({ content: { text, media: [] } })).toEqual({
      snippet: { title: 'Spring walk', description: text, tags: ['garden', 'Spring'], categoryId: '22' },
      status: { privacyStatus: 'public', selfDeclaredMadeForKids: false },
    });
    // 500 characters of tags in all, commas between.
    const many = Array.from({ length: 60 }, (_, index) => `#tag${String(index).padStart(5, '0')}`).join(' ');
    const tags = tagsOf(many);
    expect(tags.join(',').length).toBeLessThanOrEqual(500);
    // 8 characters each and a comma: 55 fit (494), a 56th would not (503).
    expect(tags.length).toBe(55);
  });

  it('a vertical video of at most 3 minutes is a Short', () => {
    expect(isShort({ width: 1080, height: 1920, durationMs: 180_000 })).toBe(true);
    expect(isShort({ width: 1080, height: 1920, durationMs: 181_000 })).toBe(false);
    expect(isShort({ width: 1920, height: 1080, durationMs: 30_000 })).toBe(false);
  });

  it("reads Google's errors: the day's quota waits for midnight Pacific, a 401 renews the token, a bad title is refused", () => {
    const answer = (status: number, reason: string) => ({ status, headers: { get: () => null }, body: { error: { code: status, message: reason, errors: [{ reason, domain: 'youtube.quota' }] } } });
    const quota = youtubeError(answer(403, 'quotaExceeded'));
    expect(quota).toMatchObject({ errorClass: 'rate_limited', code: 'quotaExceeded' });
    expect(quota.retryAfterMs).toBeGreaterThan(0);
    expect(quota.retryAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(youtubeError(answer(401, 'authError'))).toMatchObject({ errorClass: 'auth_expired' });
    expect(youtubeError(answer(403, 'insufficientPermissions'))).toMatchObject({ errorClass: 'auth_revoked' });
    expect(youtubeError(answer(400, 'invalidTitle'))).toMatchObject({ errorClass: 'rejected', code: 'invalidTitle' });
    expect(youtubeError(answer(503, 'backendError'))).toMatchObject({ errorClass: 'transient' });
    // 23:00 Pacific (PST, UTC-8) is an hour before the reset.
    expect(untilPacificMidnight(Date.parse('2026-12-08T07:00:00Z'))).toBe(3_600_000);
  });

  it("sends the post's own title, privacy and tags (networkOptions.youtube), else the first line, public and the hashtags", () => {
    const text = 'First line\nMore about it #garden #spring';
    expect(metadataOf({ content: { text, media: [] } })).toMatchObject({ snippet: { title: 'First line', tags: ['garden', 'spring'] }, status: { privacyStatus: 'public' } });
    expect(metadataOf({ content: { text, media: [], options: { title: 'Its own', privacy: 'unlisted', tags: ['a tag'] } } })).toMatchObject({
      snippet: { title: 'Its own', description: text, tags: ['a tag'] },
      status: { privacyStatus: 'unlisted' },
    });
    const judged = (options: Record<string, unknown>) => validateContent('youtube', { text, media: [video], options }).map(({ code, field }) => `${code} ${field}`);
    expect(judged({ title: 'A <b> title' })).toEqual(['title_forbidden_characters title']);
    expect(judged({ title: 't'.repeat(101) })).toEqual(['title_too_long title']);
    expect(judged({ tags: Array.from({ length: 50 }, (_, index) => `tag ${String(index).padStart(5, '0')}`) })).toEqual(['tags_too_long tags']);
  });
});
