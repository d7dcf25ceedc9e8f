/**
 * The web app's first-run rules, in Node: posting times by weekday group,
 * problems said in words without ids, handles as each network writes them,
 * the onboarding checklist's state, and what the bell lists.
 */
import type { Problem } from '@herald/api-client';
import { inWords, problemTitle, withoutIds } from '../apps/web/src/api/problem-words';
import { addSlots, daysWords, groupSlots, parseTimes, removeSlots, slotSummary } from '../apps/web/src/features/channels/slot-groups';
import { shownHandle } from '../apps/web/src/features/channels/handles';
import { checklistDone, checklistSteps } from '../apps/web/src/features/onboarding/checklist-state';
import { waitingFor } from '../apps/web/src/features/notifications/waiting';
import { byWhenTheyGo } from '../apps/web/src/features/posts/post-order';
import type { PostingSlot, Weekday } from '../apps/web/src/api/views';

const ID = 'b627252e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function problem(change: Partial<Problem>): Problem {
  return { type: 'https://herald.dev/problems/unprocessable-request', title: 'Unprocessable request', status: 422, detail: '', ...change };
}

describe('posting times by weekday group', () => {
  it('groups the days that share their times and says them as people do', () => {
    const slots = addSlots(addSlots([], WEEKDAYS, ['13:00', '09:00']), ['sat', 'sun'], ['10:00']);
    expect(slots).toHaveLength(12);
    expect(groupSlots(slots)).toEqual([
      { days: WEEKDAYS, times: ['09:00', '13:00'] },
      { days: ['sat', 'sun'], times: ['10:00'] },
    ]);
    expect(slotSummary(slots)).toBe('Weekdays at 09:00, 13:00; Weekends at 10:00');
    expect(slotSummary([])).toBe('No posting times');
  });

  it('names every day, runs of days and scattered days', () => {
    expect(daysWords(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toBe('Every day');
    expect(daysWords(['mon', 'tue', 'wed', 'thu'])).toBe('Mon–Thu');
    expect(daysWords(['fri', 'mon', 'wed'])).toBe('Mon, Wed, Fri');
    expect(daysWords(['mon', 'tue'])).toBe('Mon, Tue');
  });

  it('adds each time once and removes a time from a group of days only', () => {
    const once = addSlots([{ day: 'mon', time: '09:00' }], ['mon', 'tue'], ['09:00']);
    expect(once).toEqual([{ day: 'mon', time: '09:00' }, { day: 'tue', time: '09:00' }]);
    const slots: PostingSlot[] = addSlots([], ['mon', 'tue', 'sat'], ['09:00', '18:00']);
    const left = removeSlots(slots, ['mon', 'tue'], '18:00');
    expect(groupSlots(left)).toEqual([
      { days: ['mon', 'tue'], times: ['09:00'] },
      { days: ['sat'], times: ['09:00', '18:00'] },
    ]);
  });

  it('reads many times at once and names what it cannot read', () => {
    expect(parseTimes('9:00, 13:30 17.05;9')).toEqual({ times: ['09:00', '13:30', '17:05'], unreadable: [] });
    expect(parseTimes('25:00, noon, 09:61')).toEqual({ times: [], unreadable: ['25:00', 'noon', '09:61'] });
  });
});

describe('problems in words', () => {
  it('says which network a text is too long for, never "Unprocessable request"', () => {
    const tooLong = problem({
      detail: `text: channel ${ID} (x acme): Text is 300 weighted characters; X allows 280`,
      errors: [{ path: 'text', message: `channel ${ID} (x acme): Text is 300 weighted characters; X allows 280` }],
    });
    expect(problemTitle(tooLong)).toBe('This text is too long for X');
    const said = inWords(tooLong, new Map([[ID, 'X @acme']]));
    expect(said.errors![0]!.message).toBe('X @acme: Text is 300 weighted characters; X allows 280');
    expect(JSON.stringify(said)).not.toContain(ID);
  });

  it('names a channel without posting times in words, and drops the id', () => {
    const noTimes = problem({ detail: `Channel ${ID} has no posting schedule: add slots before using the queue`, errors: [{ path: 'schedule.mode', message: `channel ${ID} has no posting schedule` }] });
    expect(problemTitle(noTimes)).toBe('A channel has no posting times yet');
    expect(inWords(noTimes).detail).toBe('This channel has no posting schedule: add slots before using the queue');
    expect(inWords(noTimes, new Map([[ID, 'Mastodon @ada']])).errors![0]!.message).toBe('Mastodon @ada has no posting schedule');
  });

  it('turns HTTP reason phrases into words and keeps titles Herald already wrote in words', () => {
    expect(problemTitle(problem({ title: 'Conflict', status: 409, detail: `Delivery ${ID} is being published right now; try again` }))).toBe('This post is already going out');
    expect(withoutIds(`Delivery ${ID} is being published right now; try again`)).toBe('This delivery is being published right now; try again');
    expect(problemTitle(problem({ title: 'Conflict', status: 409, detail: 'The email is taken' }))).toBe('This changed in the meantime');
    expect(problemTitle(problem({ title: 'Forbidden', status: 403 }))).toBe('Your role does not allow this');
    expect(problemTitle(problem({ title: 'Herald did not answer', status: 0 }))).toBe('Herald did not answer');
    expect(withoutIds(`Post ${ID} was not found`)).toBe('This post was not found');
    expect(withoutIds(`Could not find ${ID}`)).toBe('Could not find it');
  });
});

describe('handles as each network writes them', () => {
  it("adds an @ only to a bare username, never a second one, and none to a name", () => {
    expect(shownHandle({ network: 'mastodon', handle: '@ada@mastodon.social' })).toBe('@ada@mastodon.social');
    expect(shownHandle({ network: 'x', handle: 'ada' })).toBe('@ada');
    expect(shownHandle({ network: 'x', handle: '@ada' })).toBe('@ada');
    expect(shownHandle({ network: 'instagram', handle: 'ada' })).toBe('@ada');
    expect(shownHandle({ network: 'threads', handle: 'ada' })).toBe('@ada');
    expect(shownHandle({ network: 'bluesky', handle: 'ada.bsky.social' })).toBe('ada.bsky.social');
    expect(shownHandle({ network: 'linkedin', handle: 'Ada Lovelace' })).toBe('Ada Lovelace');
    expect(shownHandle({ network: 'facebook', handle: "Ada's Page" })).toBe("Ada's Page");
  });
});

describe('the onboarding checklist', () => {
  it('is done step by step from what the API says; a default schedule counts as times in place, marked as the defaults', () => {
    const fresh = checklistSteps({ channels: [], posts: 0, people: { members: 1, invitations: 0 } });
    expect(fresh.map((step) => [step.key, step.done])).toEqual([['connect', false], ['times', false], ['post', false], ['invite', false]]);
    const noTimes = checklistSteps({ channels: [{ slots: 0, isDefault: false }], posts: 0, people: { members: 1, invitations: 0 } });
    expect(noTimes.filter((step) => step.done).map((step) => step.key)).toEqual(['connect']);
    const connected = checklistSteps({ channels: [{ slots: 5, isDefault: true }], posts: 0, people: { members: 1, invitations: 0 } });
    expect(connected.filter((step) => step.done).map((step) => step.key)).toEqual(['connect', 'times']);
    expect(connected.find((step) => step.key === 'times')).toEqual({ key: 'times', done: true, defaults: true });
    const all = checklistSteps({ channels: [{ slots: 5, isDefault: true }, { slots: 2, isDefault: false }], posts: 1, people: { members: 1, invitations: 1 } });
    expect(all.find((step) => step.key === 'times')).toEqual({ key: 'times', done: true });
    expect(checklistDone(all)).toBe(true);
  });

  it('leaves out inviting for a person who may not invite', () => {
    const steps = checklistSteps({ channels: [{ slots: 1, isDefault: false }], posts: 3 });
    expect(steps.map((step) => step.key)).toEqual(['connect', 'times', 'post']);
    expect(checklistDone(steps)).toBe(true);
  });
});

describe('what the bell lists', () => {
  const pending = [{ id: 'p1', text: 'Our new office opens on Monday', status: 'pending_approval' }];
  const failed = [{ id: 'p2', text: 'x'.repeat(80), status: 'failed' }];
  const channels = [
    { id: 'c1', status: 'disconnected', name: 'Mastodon @ada' },
    { id: 'c2', status: 'active', name: 'X @acme' },
  ];

  it('lists disconnected channels, approvals for an approver, and failures, each with where to act', () => {
    const items = waitingFor({ canApprove: true, pending, failed, channels });
    expect(items.map((item) => item.kind)).toEqual(['disconnected', 'approval', 'failed']);
    expect(items[0]!.words).toBe('Mastodon @ada is disconnected: reconnect it so its posts go out.');
    expect(items[1]!.words).toBe('“Our new office opens on Monday” waits for your approval.');
    expect(items[2]!.words).toBe(`“${'x'.repeat(60)}…” failed to publish.`);
  });

  it('leaves approvals out for someone who does not approve', () => {
    expect(waitingFor({ canApprove: false, pending, failed: [], channels: [] })).toEqual([]);
  });
});

describe('the posts list order', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const post = (name: string, createdAt: string, deliveries: { status: string; scheduledAt?: string; publishedAt?: string }[]) => ({
    name,
    createdAt,
    deliveries: deliveries.map((delivery) => ({ status: delivery.status, scheduledAt: delivery.scheduledAt ?? null, publishedAt: delivery.publishedAt ?? null })),
  });

  it('puts what goes out next first, soonest first, then the rest newest first, whatever order they were written in', () => {
    const posts = [
      post('written last, goes in a week', '2026-12-07T11:00:00Z', [{ status: 'scheduled', scheduledAt: '2026-12-14T09:00:00Z' }]),
      post('published yesterday', '2026-12-01T10:00:00Z', [{ status: 'published', scheduledAt: '2026-12-06T09:00:00Z', publishedAt: '2026-12-06T09:00:02Z' }]),
      post('goes tomorrow on one channel', '2026-12-02T10:00:00Z', [
        { status: 'published', publishedAt: '2026-12-05T09:00:00Z' },
        { status: 'scheduled', scheduledAt: '2026-12-08T09:00:00Z' },
      ]),
      post('a draft', '2026-12-07T10:00:00Z', [{ status: 'draft' }]),
      post('waits for approval, in two days', '2026-12-03T10:00:00Z', [{ status: 'pending_approval', scheduledAt: '2026-12-09T09:00:00Z' }]),
    ];
    expect(byWhenTheyGo(posts, now).map((entry) => entry.name)).toEqual([
      'goes tomorrow on one channel',
      'waits for approval, in two days',
      'written last, goes in a week',
      'a draft',
      'published yesterday',
    ]);
  });
});
