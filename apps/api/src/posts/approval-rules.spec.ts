import { ApprovedDelivery, approvalMove, approvalNotice, modeAfter, planEdit } from './approval-rules';

describe('planEdit', () => {
  it.each([
    // [mode of the edit, writer awaits approval, statuses of the unclaimed deliveries, plan]
    [undefined, false, ['scheduled'], 'content'],
    [undefined, true, ['draft'], 'content'],
    [undefined, true, ['scheduled', 'draft'], 'submit'],
    [undefined, false, ['pending_approval'], 'content'],
    ['at', true, ['draft'], 'submit'],
    ['queue', true, ['scheduled'], 'submit'],
    ['at', false, ['pending_approval'], 'submit'],
    ['at', false, ['scheduled'], 'retime'],
    ['now', false, ['draft'], 'retime'],
    ['draft', true, ['pending_approval'], 'retime'],
    ['draft', false, ['scheduled'], 'retime'],
  ] as const)('%s by one who awaits approval: %s, of %j -> %s', (mode, awaits, statuses, plan) => {
    expect(planEdit(mode, awaits, [...statuses])).toBe(plan);
  });
});

describe('approvalMove', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it.each([
    ['at', '2026-12-01T10:00:01Z', true, 'as_asked'],
    ['at', '2026-12-01T10:00:01Z', false, 'as_asked'],
    ['at', '2026-12-01T10:00:00Z', true, 'next_free_slot'],
    ['at', '2026-12-01T09:00:00Z', false, 'now'],
    ['now', null, true, 'next_free_slot'],
    ['now', null, false, 'now'],
    ['queue', null, true, 'next_free_slot'],
    ['next', null, true, 'front_of_queue'],
  ] as const)('%s %s (slots: %s) -> %s', (mode, askedAt, slots, move) => {
    expect(approvalMove(mode, askedAt ? new Date(askedAt) : null, slots, now)).toBe(move);
  });

  it('schedules a delivery given a slot as part of its channel\'s queue', () => {
    expect(modeAfter('as_asked')).toBe('at');
    expect(modeAfter('next_free_slot')).toBe('queue');
    expect(modeAfter('front_of_queue')).toBe('next');
    expect(modeAfter('now')).toBe('now');
  });
});

describe('approvalNotice', () => {
  const x = { network: 'x', handle: 'acme' };
  const sky = { network: 'bluesky', handle: 'acme.bsky.social' };
  const asked = new Date('2026-12-01T09:00:00Z');
  const slot = new Date('2026-12-02T09:00:00Z');
  const approvedAt = new Date('2026-12-01T10:00:00Z');
  const delivery = (overrides: Partial<ApprovedDelivery>): ApprovedDelivery => ({ channel: x, askedMode: 'at', askedAt: asked, move: 'as_asked', at: asked, ...overrides });

  it('is null when everything went as asked', () => {
    expect(approvalNotice([delivery({}), delivery({ askedMode: 'queue', askedAt: null, move: 'next_free_slot', at: slot })])).toBeNull();
    expect(approvalNotice([delivery({ askedMode: 'now', askedAt: null, move: 'now', at: approvedAt })])).toBeNull();
  });

  it('says the asked time passed, and where each channel went instead', () => {
    expect(approvalNotice([delivery({ move: 'next_free_slot', at: slot }), delivery({ channel: sky, move: 'now', at: approvedAt })])).toBe(
      'The asked time 2026-12-01T09:00:00.000Z has passed: scheduled at the next free slot of x acme, 2026-12-02T09:00:00.000Z; ' +
        'published now on bluesky acme.bsky.social (it has no posting schedule).',
    );
  });

  it('says a post asked for at once went to the next slot', () => {
    expect(approvalNotice([delivery({ askedMode: 'now', askedAt: null, move: 'next_free_slot', at: slot })])).toBe(
      'It was asked to publish at once, when it was submitted: scheduled at the next free slot of x acme, 2026-12-02T09:00:00.000Z.',
    );
  });
});
