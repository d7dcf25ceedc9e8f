import { validateContent } from '../../rules/validate-content';

const image = { mediaId: 'm1', type: 'image' as const, mimeType: 'image/jpeg', size: 200_000, width: 1000, height: 1500 };

describe("Pinterest's rules (its descriptor)", () => {
  it('wants one image, a description of at most 800 characters and alt text of at most 500', () => {
    expect(validateContent('pinterest', { text: 'A pin', media: [image] })).toEqual([]);
    expect(validateContent('pinterest', { text: 'A pin', media: [] }).map((violation) => violation.code)).toEqual(['media_required']);
    expect(validateContent('pinterest', { text: 'é'.repeat(800), media: [image] })).toEqual([]);
    expect(validateContent('pinterest', { text: 'é'.repeat(801), media: [image] }).map((violation) => violation.code)).toEqual(['text_too_long']);
    expect(validateContent('pinterest', { text: 'Two', media: [image, image] }).map((violation) => violation.code)).toContain('too_many_images');
    expect(validateContent('pinterest', { text: 'Alt', media: [{ ...image, alt: 'a'.repeat(501) }] }).map((violation) => violation.code)).toEqual(['alt_text_too_long']);
  });
});
