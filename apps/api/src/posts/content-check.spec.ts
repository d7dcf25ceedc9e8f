import { Network, validateContent } from '@herald/channels';
import { Channel } from '@herald/db';
import { Problem } from '../common/problems';
import { ContentJudge, DraftContent, checkContentWith } from './content-check';

const judge: ContentJudge = (channel, content) => validateContent(channel.network as Network, content);
const channel = (id: string, network: Network) => Object.assign(new Channel(), { id, network, handle: `@${id}`, status: 'active', details: {} });
const x = channel('cx', 'x');
const mastodon = channel('cm', 'mastodon');
const linkedin = channel('cl', 'linkedin');
const facebook = channel('cf', 'facebook');
const instagram = channel('ci', 'instagram');
const image = { mediaId: 'm1', type: 'image' as const, mimeType: 'image/jpeg', size: 1000, width: 800, height: 800 };

/** The 422's field errors, or none when the content passes. */
function problemsOf(channels: Channel[], content: Partial<DraftContent>): { path: string; message: string }[] {
  try {
    checkContentWith(judge, channels, { text: 'hello', media: [], variants: {}, ...content });
    return [];
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    expect(error.status).toBe(422);
    return error.errors ?? [];
  }
}

describe('checkContentWith: each part against each channel', () => {
  const parts = (...texts: string[]) => texts.map((text) => ({ text, media: [] }));

  it('passes a thread every part of which each threaded network takes', () => {
    expect(problemsOf([x, mastodon], { text: 'one', parts: parts('one', 'two', 'three') })).toEqual([]);
  });

  it('names the channel and the part index of a part too long, for each channel it is too long for', () => {
    const long = 'y'.repeat(300);
    expect(problemsOf([x, mastodon], { text: 'one', parts: parts('one', 'two', long) })).toEqual([
      { path: 'parts[2]', message: expect.stringMatching(/^channel cx \(x @cx\), part 2: .*280/) },
    ]);
    expect(problemsOf([x, mastodon], { text: 'one', parts: parts('one', 'y'.repeat(501), long) }).map((error) => [error.path, error.message.slice(0, 24)])).toEqual([
      ['parts[1]', 'channel cx (x @cx), part'],
      ['parts[2]', 'channel cx (x @cx), part'],
      ['parts[1]', 'channel cm (mastodon @cm'],
    ]);
  });

  it('refuses several parts on LinkedIn, Facebook and Instagram, naming each channel; one part is a post like any other', () => {
    const thread = { text: 'one', media: [image], parts: [{ text: 'one', media: [image] }, { text: 'two', media: [image] }] };
    expect(problemsOf([x, linkedin, facebook, instagram], thread)).toEqual(
      ['cl (linkedin', 'cf (facebook', 'ci (instagram'].map((named) => ({ path: 'parts', message: expect.stringContaining(`channel ${named} @`) })),
    );
    expect(problemsOf([linkedin], thread)[0]!.message).toMatch(/linkedin has no threads, so a post to it takes one part, not 2/);
    expect(problemsOf([linkedin, facebook, instagram], { text: 'one', media: [image], parts: [{ text: 'one', media: [image] }] })).toEqual([]);
  });

  it('lets a variant replace the first part\'s text only, judged under its own path', () => {
    const variants = { cx: 'v'.repeat(281) };
    expect(problemsOf([x, mastodon], { text: 'one', variants, parts: parts('one', 'two') })).toEqual([{ path: 'variants.cx', message: expect.stringContaining('channel cx (x @cx), part 0:') }]);
  });

  it('judges the first comment as text of its own on every channel; Instagram does not ask it for media', () => {
    expect(problemsOf([x, instagram], { text: 'caption', media: [image], firstComment: { text: 'c'.repeat(300) } })).toEqual([
      { path: 'firstComment', message: expect.stringMatching(/^channel cx \(x @cx\), first comment: /) },
    ]);
    expect(problemsOf([instagram, linkedin], { text: 'caption', media: [image], firstComment: { text: 'thanks for reading' } })).toEqual([]);
  });

  it('keeps the one-part check as it was: the text, or the channel\'s variant', () => {
    expect(problemsOf([x], { text: 'z'.repeat(281) })).toEqual([{ path: 'text', message: expect.stringContaining('channel cx (x @cx): ') }]);
    expect(problemsOf([x], { variants: { cx: 'z'.repeat(281), nope: 'a' } }).map((error) => error.path)).toEqual(['variants.nope', 'variants.cx']);
  });
});
