/**
 * The web app's thread logic, in Node: "Split into a thread" (sentence ends
 * first, then spaces, then graphemes; URLs kept whole; every part within
 * every picked network as that network counts), moving and removing parts,
 * the per-part and first-comment checks, and the body sent to the API.
 */
import { countText, xWeightedLength, graphemeCount, type Network } from '@herald/channels/rules';
import { fitsEvery, splitIntoThread } from '../apps/web/src/features/compose/thread-split';
import { checkThread, contentBody, movePart, partTextFor, refusalWords, removePart, type ThreadPart } from '../apps/web/src/features/compose/thread';
import type { Attachment } from '../apps/web/src/features/compose/attachments';

const channel = (id: string, network: Network, limits = {}) => ({ id, network, limits });
const x = channel('cx', 'x');
const bluesky = channel('cb', 'bluesky');
const mastodon = channel('cm', 'mastodon');
const linkedin = channel('cl', 'linkedin');
const fitsX = fitsEvery([x]);

/** Every part within the limit of each network given, none empty, and nothing lost but the spaces cut at. */
function expectSound(parts: string[], text: string, networks: { network: Network; limits?: { maxCharacters?: number } }[]) {
  for (const part of parts) {
    expect(part.trim()).toBe(part);
    expect(part.length).toBeGreaterThan(0);
    for (const { network, limits } of networks) {
      const counted = countText(network, part, limits ?? {});
      expect(counted.length).toBeLessThanOrEqual(counted.limit);
    }
  }
  expect(parts.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
}

describe('splitIntoThread', () => {
  it('keeps a text that fits as one part, and an empty text as one empty part', () => {
    expect(splitIntoThread('Short and sweet.', fitsX)).toEqual(['Short and sweet.']);
    expect(splitIntoThread('   ', fitsX)).toEqual(['']);
  });

  it('cuts at sentence ends, packing as many whole sentences as fit', () => {
    const sentence = (n: number) => `Sentence number ${n} says something worth reading about the launch.`;
    const text = Array.from({ length: 12 }, (_, index) => sentence(index + 1)).join(' ');
    const parts = splitIntoThread(text, fitsX);
    expect(parts.length).toBeGreaterThan(1);
    expectSound(parts, text, [x]);
    // Each part ends a sentence, and each but the last is as full as whole sentences allow.
    for (const part of parts) expect(part).toMatch(/\.$/);
    for (const part of parts.slice(0, -1)) expect(xWeightedLength(`${part} ${sentence(99)}`)).toBeGreaterThan(280);
  });

  it('cuts a long sentence without punctuation at spaces, never inside a word', () => {
    const words = Array.from({ length: 150 }, (_, index) => `word${index}`);
    const text = words.join(' ');
    const parts = splitIntoThread(text, fitsX);
    expect(parts.length).toBeGreaterThan(2);
    expectSound(parts, text, [x]);
    expect(parts.flatMap((part) => part.split(' '))).toEqual(words);
  });

  it('cuts a run of text with no space at all where it stops fitting, on a grapheme boundary', () => {
    const text = 'a'.repeat(700);
    const parts = splitIntoThread(text, fitsX);
    expect(parts).toEqual(['a'.repeat(280), 'a'.repeat(280), 'a'.repeat(140)]);
  });

  it('keeps a URL whole: X counts it 23, however long it is, and a period inside it is no sentence end', () => {
    const url = `https://example.com/Reports/Q4.Final/${'x'.repeat(200)}?a=1.B`;
    const text = `${'Read the report. '.repeat(14)}Here it is: ${url} and more words after it. ${'Thanks again. '.repeat(10)}`;
    const parts = splitIntoThread(text, fitsX);
    expectSound(parts, text, [x]);
    expect(parts.filter((part) => part.includes(url))).toHaveLength(1);
  });

  it('counts emoji as each network does: X weighs one 2, Bluesky counts graphemes; a family emoji is never cut apart', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = family.repeat(400);
    const onX = splitIntoThread(text, fitsX);
    // X: each emoji sequence weighs 2, so 140 to a part.
    expect(onX.map((part) => graphemeCount(part))).toEqual([140, 140, 120]);
    expect(onX.every((part) => part === family.repeat(graphemeCount(part)))).toBe(true);
    const onBluesky = splitIntoThread(text, fitsEvery([bluesky]));
    // Bluesky: 300 graphemes but 3,000 bytes, and each family is 25 bytes: the bytes bind first (120 a part).
    expect(onBluesky.map((part) => graphemeCount(part))).toEqual([120, 120, 120, 40]);
    expect(onBluesky.every((part) => part === family.repeat(graphemeCount(part)))).toBe(true);
  });

  it('fits the strictest of the picked networks, a Mastodon instance with its own limit included', () => {
    const text = Array.from({ length: 40 }, (_, index) => `Point ${index + 1} is here.`).join(' ');
    const small = channel('cs', 'mastodon', { maxCharacters: 100 });
    const parts = splitIntoThread(text, fitsEvery([x, small, bluesky]));
    expectSound(parts, text, [x, small, bluesky]);
    expect(parts.every((part) => part.length <= 100)).toBe(true);
    expect(splitIntoThread(text, fitsEvery([x, mastodon])).length).toBeLessThan(parts.length);
  });

  it('keeps line breaks inside a part and cuts at paragraph ends', () => {
    const paragraph = (n: number) => `Paragraph ${n} line one\nline two of it, long enough to matter for the count here`;
    const text = [1, 2, 3, 4, 5].map(paragraph).join('\n\n');
    const parts = splitIntoThread(text, fitsX);
    expectSound(parts, text, [x]);
    expect(parts[0]).toContain('\n');
  });
});

describe('parts', () => {
  const parts = [
    { key: 'a', text: 'one' },
    { key: 'b', text: 'two' },
    { key: 'c', text: 'three' },
  ];

  it('move one place earlier or later, and never past either end', () => {
    expect(movePart(parts, 'b', -1).map((part) => part.key)).toEqual(['b', 'a', 'c']);
    expect(movePart(parts, 'b', 1).map((part) => part.key)).toEqual(['a', 'c', 'b']);
    expect(movePart(parts, 'a', -1)).toBe(parts);
    expect(movePart(parts, 'c', 1)).toBe(parts);
  });

  it('are removed one at a time, never the last one', () => {
    expect(removePart(parts, 'b').map((part) => part.key)).toEqual(['a', 'c']);
    expect(removePart([parts[0]!], 'a')).toEqual([parts[0]]);
  });

  const none = (): Attachment[] => [];

  it('are checked on each channel by its rules, a variant replacing part 1 only; several parts refused where there are no threads', () => {
    const checked = checkThread([x, linkedin], [...parts.slice(0, 2), { key: 'c', text: 'y'.repeat(281) }], { cx: 'first on X' }, none, '');
    expect(checked.parts[0]!.get('cx')!.length).toBe('first on X'.length);
    expect(checked.parts[2]!.get('cx')!.violations.map((violation) => violation.code)).toEqual(['text_too_long']);
    expect(checked.noThreads.map((target) => target.id)).toEqual(['cl']);
    expect([...checked.refusing].sort()).toEqual(['cl', 'cx']);
    expect(refusalWords('cl', checked, 3)).toEqual(['it has no threads, so it takes one part, not 3']);
    expect(refusalWords('cx', checked, 3)).toEqual([expect.stringMatching(/^part 3: Text is 281 weighted characters; X allows 280/)]);
  });

  it("have their own text on a channel from the second part on: checked and counted there, moved with their part; the first part's are the post's", () => {
    const own: ThreadPart[] = [
      { key: 'a', text: 'one', variants: { cx: 'never used: the first part has the post variants' } },
      { key: 'b', text: 'm'.repeat(400), variants: { cx: 'two, short for X' } },
      { key: 'c', text: 'three', variants: { cx: 'y'.repeat(281) } },
    ];
    const checked = checkThread([x, mastodon], own, { cx: 'first on X' }, none, '');
    expect(checked.parts.map((byChannel) => byChannel.get('cx')!.length)).toEqual(['first on X'.length, 'two, short for X'.length, 281]);
    // Mastodon counts the part's own text (400 of its 500); only X's variant of part 3 is too long.
    expect(checked.parts[1]!.get('cm')!.length).toBe(400);
    expect(checked.parts[1]!.get('cm')!.violations).toEqual([]);
    expect([...checked.refusing]).toEqual(['cx']);
    expect(refusalWords('cx', checked, 3)).toEqual([expect.stringMatching(/^part 3: Text is 281 weighted characters; X allows 280/)]);
    expect(partTextFor(own[0]!, 0, { cx: 'first on X' }, 'cx')).toBe('first on X');
    expect(partTextFor(own[1]!, 1, {}, 'cm')).toBe(own[1]!.text);
    // Moved to third place, part 2's own X text goes with it.
    const moved = movePart(own, 'b', 1);
    expect(checkThread([x], moved, {}, none, '').parts[2]!.get('cx')!.length).toBe('two, short for X'.length);
  });

  it('take a first comment on every network, which need not carry media (Instagram)', () => {
    const instagram = channel('ci', 'instagram');
    const checked = checkThread([linkedin, instagram, x], [{ key: 'a', text: 'post' }], {}, none, 'c'.repeat(300));
    expect(checked.comment.get('ci')!.violations).toEqual([]);
    expect(checked.comment.get('cl')!.violations).toEqual([]);
    expect(checked.comment.get('cx')!.violations.map((violation) => violation.code)).toEqual(['text_too_long']);
    expect(refusalWords('cx', checked, 1)).toEqual([expect.stringMatching(/^first comment: /)]);
    // Instagram's post needs an image; its comment does not.
    expect(refusalWords('ci', checked, 1)).toEqual([expect.stringMatching(/^Post has 0 media items; Instagram needs/)]);
  });

  it('go to the API as text and media for one part, as parts for several, with the first comment when there is one', () => {
    const file = { key: 'f', name: 'a.png', previewUrl: null, alt: 'Alt', status: 'ready', media: { id: 'm1' } } as unknown as Attachment;
    expect(contentBody([parts[0]!], [[file]], '')).toEqual({ text: 'one', media: [{ mediaId: 'm1', alt: 'Alt' }] });
    expect(contentBody(parts, [[], [file], []], ' Link: https://example.com ')).toEqual({
      parts: [
        { text: 'one', media: [] },
        { text: 'two', media: [{ mediaId: 'm1', alt: 'Alt' }] },
        { text: 'three', media: [] },
      ],
      firstComment: { text: ' Link: https://example.com ' },
    });
    // A later part's own texts go with it, for the post's channels only; the first part's are the post's variants, never parts[0].variants.
    const own: ThreadPart[] = [
      { key: 'a', text: 'one', variants: { cx: 'kept aside' } },
      { key: 'b', text: 'two', variants: { cx: 'two for X', gone: 'a channel no longer picked' } },
      { key: 'c', text: 'three', variants: {} },
    ];
    expect(contentBody(own, [[], [], []], '', ['cx', 'cm'])).toEqual({
      parts: [
        { text: 'one', media: [] },
        { text: 'two', media: [], variants: { cx: 'two for X' } },
        { text: 'three', media: [] },
      ],
    });
  });
});
