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

  it('refuses the local post types and buttons that do not go together, each naming its option (networkOptions.google_business)', () => {
    const judged = (options: Record<string, unknown>) => validateContent('google_business', { text: 'Hi', media: [], options }).map(({ code, field }) => `${code} ${field}`);
    const event = { title: 'Tasting', startsAt: '2027-03-12T18:00', endsAt: '2027-03-12T22:00' };
    expect(judged({ topicType: 'EVENT', event })).toEqual([]);
    expect(judged({ topicType: 'OFFER', event, offer: { couponCode: 'TEN', redeemUrl: 'https://example.com/r' } })).toEqual([]);
    expect(judged({ topicType: 'EVENT' })).toEqual(['event_required event']);
    expect(judged({ topicType: 'OFFER', offer: {} })).toEqual(['event_required event']);
    expect(judged({ topicType: 'EVENT', event: { ...event, endsAt: '2027-03-12T17:00' } })).toEqual(['event_ends_before_start event.endsAt']);
    expect(judged({ topicType: 'OFFER', event, callToAction: { actionType: 'LEARN_MORE', url: 'https://example.com' } })).toEqual(['call_to_action_not_taken callToAction']);
    expect(judged({ callToAction: { actionType: 'BOOK' } })).toEqual(['call_to_action_url_required callToAction.url']);
    expect(judged({ callToAction: { actionType: 'CALL', url: 'https://example.com' } })).toEqual(['call_to_action_url_not_taken callToAction.url']);
    expect(judged({ topicType: 'EVENT', event, offer: { couponCode: 'TEN' } })).toEqual(['offer_not_taken offer']);
  });
});
