import { REAL_ENDPOINTS } from '../../endpoints';
import { validateContent } from '../../rules/validate-content';
import { PinterestAdapter } from './pinterest.adapter';

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

  it("refuses a link that is not a URL, and a board that is not one of the channel's, naming its boards (networkOptions.pinterest)", () => {
    expect(validateContent('pinterest', { text: 'A pin', media: [image], options: { link: 'example.com/no-scheme' } })).toEqual([expect.objectContaining({ code: 'link_invalid', field: 'link' })]);
    const adapter = new PinterestAdapter({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: 1 }, 'https://api.pinterest.com');
    const details = { boards: [{ id: '11', name: 'Ideas' }, { id: '12', name: 'Products' }], boardId: '11' };
    expect(adapter.validate({ text: 'A pin', media: [image], options: { boardId: '12', title: 'Mine', link: 'https://example.com' } }, details)).toEqual([]);
    expect(adapter.validate({ text: 'A pin', media: [image], options: { boardId: '13' } }, details)).toEqual([
      { code: 'board_unknown', field: 'boardId', message: 'The board 13 is not one of this Pinterest channel\'s boards ("Ideas", "Products")' },
    ]);
    // A channel connected before its boards were kept is not judged here; Pinterest's "Board not found" answers at publish time.
    expect(adapter.validate({ text: 'A pin', media: [image], options: { boardId: '13' } }, {})).toEqual([]);
  });
});
