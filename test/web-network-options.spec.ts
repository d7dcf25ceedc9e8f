/**
 * The web app's network options, pure (PRODUCT.md section 14): the body
 * compose sends (only what was given, only for networks among the post's
 * channels, a TikTok interaction the creator turned off never asked for),
 * the form read back from a saved post, the TikTok levels several creators
 * all allow, the values read from each network's own schema, and where the
 * API's and the rules' messages land.
 */
import { choiceOf, emptyChoice, optionsBody } from '../apps/web/src/features/compose/network-options';
import { localOptionErrors, optionMessages } from '../apps/web/src/features/compose/option-errors';
import { CALL_TO_ACTIONS, TIKTOK_PRIVACIES, YOUTUBE_PRIVACIES, defaultBoardOf, maxLengthOf, tiktokChoices } from '../apps/web/src/features/channels/network-choices';

const channel = (network: string, choices: Record<string, unknown> = {}, networkOptions: Record<string, unknown> = {}) => ({ network, choices, networkOptions }) as never;

describe('network options in the web app', () => {
  it('reads the values and limits from each network’s own schema', () => {
    expect(YOUTUBE_PRIVACIES).toEqual(['public', 'unlisted', 'private']);
    expect(TIKTOK_PRIVACIES).toEqual(['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY']);
    expect(CALL_TO_ACTIONS).toContain('CALL');
    expect(maxLengthOf('google_business', 'event', 'title')).toBe(58);
    expect(maxLengthOf('youtube', 'title')).toBe(100);
  });

  it('sends only what is given, for the networks among the channels', () => {
    const choice = emptyChoice();
    choice.youtube = { title: ' A day at the studio ', privacy: 'unlisted', tags: 'studio, #behind the scenes, ' };
    choice.pinterest = { boardId: '', title: '', link: 'https://example.com' };
    choice.google_business = { ...choice.google_business, topicType: 'OFFER', eventTitle: 'Spring sale', startsAt: '2027-03-12T09:00', couponCode: 'SPRING', actionType: 'BOOK', actionUrl: 'https://x.example' };
    expect(optionsBody(choice, [channel('youtube'), channel('google_business'), channel('x')])).toEqual({
      youtube: { title: 'A day at the studio', privacy: 'unlisted', tags: ['studio', 'behind the scenes'] },
      // An offer takes no button of its own; the missing end is left for the API to name.
      google_business: { topicType: 'OFFER', event: { title: 'Spring sale', startsAt: '2027-03-12T09:00' }, offer: { couponCode: 'SPRING' } },
    });
    expect(optionsBody(emptyChoice(), [channel('youtube'), channel('pinterest')])).toEqual({});
  });

  it('never asks TikTok for an interaction the creator turned off', () => {
    const choice = emptyChoice();
    choice.tiktok = { privacy: 'SELF_ONLY', allowComments: true, allowDuet: true, allowStitch: false, yourBrand: false, brandedContent: false };
    expect(optionsBody(choice, [channel('tiktok', { commentDisabled: true })])).toEqual({ tiktok: { privacy: 'SELF_ONLY', allowComments: false, allowDuet: true, allowStitch: false } });
    // What the post promotes goes only when ticked.
    choice.tiktok = { ...choice.tiktok, privacy: 'PUBLIC_TO_EVERYONE', brandedContent: true };
    expect(optionsBody(choice, [channel('tiktok', {})])).toEqual({ tiktok: { privacy: 'PUBLIC_TO_EVERYONE', allowComments: true, allowDuet: true, allowStitch: false, brandedContent: true } });
  });

  it('reads a saved post’s options back into the form, and sends them again unchanged', () => {
    const saved = { google_business: { topicType: 'EVENT' as const, event: { title: 'Open day', startsAt: '2027-03-12T18:00', endsAt: '2027-03-12T22:00' }, callToAction: { actionType: 'CALL' as const } }, youtube: { privacy: 'private' as const } };
    expect(optionsBody(choiceOf(saved), [channel('google_business'), channel('youtube')])).toEqual(saved);
  });

  it('offers the TikTok levels every creator picked allows, and an interaction off when any turned it off', () => {
    expect(tiktokChoices([channel('tiktok', { privacyLevels: ['PUBLIC_TO_EVERYONE', 'SELF_ONLY'] }), channel('tiktok', { privacyLevels: ['SELF_ONLY', 'FOLLOWER_OF_CREATOR'], duetDisabled: true })])).toEqual({
      privacyLevels: ['SELF_ONLY'],
      commentDisabled: false,
      duetDisabled: true,
      stitchDisabled: false,
    });
  });

  it('takes a Pinterest channel’s own board, else its first', () => {
    const boards = [
      { id: 'b1', name: 'Ideas' },
      { id: 'b2', name: 'Recipes' },
    ];
    expect(defaultBoardOf(channel('pinterest', { boards }))).toEqual(boards[0]);
    expect(defaultBoardOf(channel('pinterest', { boards }, { boardId: 'b2' }))).toEqual(boards[1]);
  });

  it('puts each message at the option it names, and the rest under the network', () => {
    const problem = {
      type: 'about:blank',
      title: 'Bad request',
      detail: 'networkOptions are wrong',
      status: 400,
      errors: [
        { path: 'networkOptions.google_business.event.title', message: 'is required' },
        { path: 'networkOptions.google_business', message: 'no channel of the post is on google_business' },
        { path: 'networkOptions.youtube.tags[2]', message: 'must NOT have more than 500 characters' },
      ],
    };
    const local = localOptionErrors([{ network: 'google_business', violations: [{ code: 'event_ends_before_start', field: 'event.endsAt', message: 'ends first' }] }]);
    expect(optionMessages(problem, local, 'google_business', 'event.title')).toEqual(['is required']);
    expect(optionMessages(problem, local, 'google_business', 'event')).toEqual([]);
    expect(optionMessages(problem, local, 'google_business', 'event.endsAt')).toEqual(['ends first']);
    expect(optionMessages(problem, local, 'google_business', null)).toEqual(['no channel of the post is on google_business']);
    expect(optionMessages(problem, local, 'youtube', 'tags')).toEqual(['must NOT have more than 500 characters']);
    expect(optionMessages(problem, local, 'google_business')).toHaveLength(3);
  });
});
