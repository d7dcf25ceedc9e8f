import { validateContent } from '../../rules/validate-content';

const photo = { mediaId: 'm1', type: 'image' as const, mimeType: 'image/jpeg', size: 200_000, width: 1200, height: 900 };

describe("Google Business Profile's rules (its descriptor)", () => {
  it('takes a summary of at most 1,500 characters, with or without one JPEG or PNG photo, and no video', () => {
    expect(validateContent('google_business', { text: 'Open late on Friday', media: [] })).toEqual([]);
    expect(validateContent('google_business', { text: 'é'.repeat(1500), media: [photo] })).toEqual([]);
    expect(validateContent('google_business', { text: 'é'.repeat(1501), media: [] }).map((violation) => violation.code)).toEqual(['text_too_long']);
    expect(validateContent('google_business', { text: 'Two', media: [photo, { ...photo, mediaId: 'm2' }] }).map((violation) => violation.code)).toContain('too_many_images');
    expect(validateContent('google_business', { text: 'Clip', media: [{ mediaId: 'v', type: 'video', mimeType: 'video/mp4', size: 1000, durationMs: 1000 }] }).length).toBeGreaterThan(0);
    expect(validateContent('google_business', { text: 'Tiny', media: [{ ...photo, width: 200, height: 200 }] }).length).toBeGreaterThan(0);
  });
});
