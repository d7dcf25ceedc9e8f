/**
 * The web app's pure parts, in Node: the calendar's days in a zone (across a
 * DST change) and where a dropped post lands, the live refresh interval, and
 * where a preview splits a text at a network's limit.
 */
import { countText } from '@herald/channels/rules';
import { ROLES, outranks as apiOutranks } from '../apps/api/src/access/permissions';
import { auditActor, auditWhat, type AuditEvent } from '../apps/web/src/features/audit/audit-words';
import { isServerPage, safeRedirect } from '../apps/web/src/features/auth/redirects';
import { ROLE_WORDS, chosenOrFirst, outranks, rolesUpTo } from '../apps/web/src/features/members/roles';
import type { DeliveryView } from '../apps/web/src/api/views';
import { calendarRange, cellId, entriesByCell, placeEntries, shifted, type CalendarEntryView } from '../apps/web/src/features/calendar/calendar-grid';
import { DateTime } from 'luxon';
import { movedTo } from '../apps/web/src/features/calendar/calendar-moves';
import { FEED_FOLD, firstLink, splitAtLimit } from '../apps/web/src/features/compose/preview-text';
import { IDLE_INTERVAL_MS, LIVE_INTERVAL_MS, refreshInterval } from '../apps/web/src/features/posts/live';

function delivery(change: Partial<DeliveryView>): DeliveryView {
  return {
    id: 'd1',
    channelId: 'c1',
    network: 'x',
    status: 'scheduled',
    scheduledAt: null,
    publishedAt: null,
    externalId: null,
    externalUrl: null,
    attemptCount: 0,
    lastError: null,
    waitingFor: null,
    parts: [{ index: 0, status: 'scheduled', externalId: null, externalUrl: null, lastError: null }],
    firstComment: null,
    deletedAt: null,
    unpublish: null,
    ...change,
  };
}

describe('the calendar', () => {
  it('shows a week from Monday and a month as whole weeks, in the zone asked', () => {
    const week = calendarRange('week', '2026-12-03', 'Europe/Berlin');
    expect(week.days.map((day) => day.toISODate())).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(week.start.toUTC().toISO()).toBe('2026-11-29T23:00:00.000Z');
    const month = calendarRange('month', '2026-12-15', 'America/New_York');
    expect(month.days[0]!.toISODate()).toBe('2026-11-30');
    expect(month.days.at(-1)!.toISODate()).toBe('2027-01-03');
    expect(month.days.length % 7).toBe(0);
    expect(shifted(week, 1)).toBe('2026-12-10');
    expect(shifted(month, -1)).toBe('2026-11-01');
  });

  it('keeps seven whole days in a week with a clock change (Berlin, 29 March 2026 has 23 hours)', () => {
    const week = calendarRange('week', '2026-03-29', 'Europe/Berlin');
    expect(week.days.map((day) => day.toFormat('yyyy-MM-dd HH:mm'))).toEqual(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'].map((date) => `${date} 00:00`));
    expect(week.end.toISO()).toBe('2026-03-30T00:00:00.000+02:00');
  });

  it('shows a day on its own, its neighbours a day away', () => {
    const day = calendarRange('day', '2026-12-03', 'Europe/Berlin');
    expect(day.days.map((date) => date.toISODate())).toEqual(['2026-12-03']);
    expect(shifted(day, -1)).toBe('2026-12-02');
  });

  const entry = (change: Partial<CalendarEntryView>): CalendarEntryView => ({
    postId: 'p1',
    scheduledAt: '2026-12-02T14:00:00.000Z',
    timezone: 'America/New_York',
    localTime: '2026-12-02T09:00',
    channelIds: ['c1'],
    deliveries: [{ id: 'd1', channelId: 'c1', status: 'scheduled', publishedAt: null }],
    excerpt: 'hello',
    queued: false,
    mediaId: null,
    tags: [],
    seriesId: null,
    ...change,
  });

  it("places each entry on the person's day and hour, movable only while every delivery is scheduled", () => {
    const [late, published] = placeEntries(
      [
        entry({ postId: 'late', scheduledAt: '2026-12-02T23:30:00.000Z', localTime: '2026-12-02T18:30' }), // 00:30 on the 3rd in Berlin
        entry({ postId: 'published', deliveries: [{ id: 'd', channelId: 'c1', status: 'published', publishedAt: '2026-12-02T14:00:01.000Z' }, { id: 'e', channelId: 'c2', status: 'scheduled', publishedAt: null }] }),
      ],
      'Europe/Berlin',
    );
    expect([late!.day, late!.hour, late!.movable]).toEqual(['2026-12-03', 0, true]);
    expect([published!.day, published!.hour, published!.movable, published!.status]).toEqual(['2026-12-02', 15, false, 'scheduled']);
    const byDay = entriesByCell([late!, published!], 'month');
    expect(byDay.get(cellId('2026-12-03'))?.map((placed) => placed.entry.postId)).toEqual(['late']);
    const byHour = entriesByCell([late!, published!], 'week');
    expect(byHour.get(cellId('2026-12-02', 15))?.map((placed) => placed.entry.postId)).toEqual(['published']);
  });

  it("places entries on the person's day and hour across a clock change as luxon reads them", () => {
    // Berlin moves its clocks at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October; Lord Howe by half an hour.
    const instants = [
      '2026-03-29T00:59:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T22:30:00.000Z',
      '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-24T22:00:00.000Z', '2026-12-31T23:00:00.000Z',
      ...Array.from({ length: 200 }, (_, index) => new Date(Date.UTC(2026, 0, 1) + index * 1_759_000 * 61).toISOString()),
    ];
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC']) {
      const placed = placeEntries(instants.map((scheduledAt, index) => entry({ postId: `p${index}`, scheduledAt })), zone);
      const expected = instants.map((at) => DateTime.fromISO(at, { zone })).map((at) => [at.toISODate(), at.hour, at.toFormat('HH:mm')]);
      expect(placed.map((one) => [one.day, one.hour, one.at.toFormat('HH:mm')])).toEqual(expected);
    }
    expect(placeEntries([entry({ scheduledAt: '2026-03-29T00:30:00.000Z' })], 'Europe/Berlin')[0]).toMatchObject({ day: '2026-03-29', hour: 1 });
    expect(placeEntries([entry({ scheduledAt: '2026-03-29T01:30:00.000Z' })], 'Europe/Berlin')[0]).toMatchObject({ day: '2026-03-29', hour: 3 });
  });

  it("keeps a dragged post's wall time in its channel's zone, whatever the person's, across either zone's DST change", () => {
    // 09:00 New York on Fri 20 March 2026 is 14:00 in Berlin; Berlin moves its clocks on the 29th, New York already did on the 8th.
    const [placed] = placeEntries([entry({ scheduledAt: '2026-03-20T13:00:00.000Z', localTime: '2026-03-20T09:00' })], 'Europe/Berlin');
    expect(placed!.at.toFormat('HH:mm')).toBe('14:00');
    // To Monday the 30th (a month cell): 09:00 New York, which is 15:00 in Berlin by then.
    expect(movedTo(placed!, cellId('2026-03-30'), 'Europe/Berlin')).toEqual({ localTime: '2026-03-30T09:00', timezone: 'America/New_York' });
    // The same hour row of another day in the week view: the same.
    expect(movedTo(placed!, cellId('2026-03-30', 14), 'Europe/Berlin')).toEqual({ localTime: '2026-03-30T09:00', timezone: 'America/New_York' });
    // Another hour: the person chose 16:xx in Berlin, said in New York's time.
    expect(movedTo(placed!, cellId('2026-03-23', 16), 'Europe/Berlin')).toEqual({ localTime: '2026-03-23T11:00', timezone: 'America/New_York' });
    // Unless the person keeps their own time: 14:00 Berlin on the 30th.
    expect(movedTo(placed!, cellId('2026-03-30'), 'Europe/Berlin', 'mine')).toEqual({ localTime: '2026-03-30T14:00', timezone: 'Europe/Berlin' });
    // Dropped where it is, or nowhere: no move.
    expect(movedTo(placed!, cellId('2026-03-20'), 'Europe/Berlin')).toBeUndefined();
    expect(movedTo(placed!, 'somewhere', 'Europe/Berlin')).toBeUndefined();
  });
});

describe('the live refresh', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  it('reads every 2 s while publishing or due within two minutes, every 30 s while scheduled later, never when nothing can change', () => {
    expect(refreshInterval([delivery({ status: 'publishing' })], now)).toBe(LIVE_INTERVAL_MS);
    expect(refreshInterval([delivery({ scheduledAt: '2026-12-02T12:01:30Z' })], now)).toBe(LIVE_INTERVAL_MS);
    expect(refreshInterval([delivery({ scheduledAt: '2026-12-02T11:59:00Z' })], now)).toBe(LIVE_INTERVAL_MS); // overdue: about to go
    expect(refreshInterval([delivery({ scheduledAt: '2026-12-02T13:00:00Z' })], now)).toBe(IDLE_INTERVAL_MS);
    expect(refreshInterval([delivery({ status: 'published' }), delivery({ status: 'failed' }), delivery({ status: 'draft' })], now)).toBe(false);
    // Being unpublished: watched until it is deleted; deleted, nothing changes.
    expect(refreshInterval([delivery({ status: 'published', unpublish: { status: 'pending', attempts: 1, lastError: null } })], now)).toBe(LIVE_INTERVAL_MS);
    expect(refreshInterval([delivery({ status: 'deleted', deletedAt: '2026-12-02T11:00:00Z' })], now)).toBe(false);
    expect(LIVE_INTERVAL_MS).toBe(2_000);
  });
});

describe('the preview', () => {
  it("splits a text where the network's own count reaches its limit, on a character boundary", () => {
    const text = `${'👍'.repeat(139)}🫶🏽 and more`;
    const { within, over } = splitAtLimit('x', text);
    expect(within + over).toBe(text);
    expect(countText('x', within).length).toBe(280);
    expect(within.endsWith('🫶🏽')).toBe(true);
    const family = '👨‍👩‍👧‍👦'.repeat(130);
    const bluesky = splitAtLimit('bluesky', family); // 130 graphemes but 3,250 bytes: cut at 3,000
    expect(bluesky.within).toBe('👨‍👩‍👧‍👦'.repeat(120));
    expect(splitAtLimit('mastodon', 'a'.repeat(550), { maxCharacters: 600 })).toEqual({ within: 'a'.repeat(550), over: '' });
    expect(splitAtLimit('mastodon', 'a'.repeat(550)).over).toBe('a'.repeat(50));
  });

  it('finds the link a card is made of, without its trailing punctuation', () => {
    expect(firstLink('Read https://example.com/a/b?c=1. Then more')?.href).toBe('https://example.com/a/b?c=1');
    expect(firstLink('no link here')).toBeUndefined();
    expect(FEED_FOLD.instagram?.after).toBe(125);
  });
});

describe('roles in the app', () => {
  it("keeps the API's order of roles, and offers none above the person's own", () => {
    expect(ROLE_WORDS.map((entry) => entry.role)).toEqual([...ROLES]);
    expect(rolesUpTo('admin', ROLE_WORDS).map((entry) => entry.role)).toEqual(['admin', 'editor', 'contributor', 'viewer']);
    expect(rolesUpTo('owner', ROLE_WORDS).map((entry) => entry.role)).toEqual([...ROLES]);
    expect(rolesUpTo('viewer', ROLE_WORDS).map((entry) => entry.role)).toEqual(['viewer']);
    expect(rolesUpTo(undefined, ROLE_WORDS)).toEqual([]);
    for (const role of ROLES) for (const other of ROLES) expect([role, other, outranks(role, other)]).toEqual([role, other, apiOutranks(role, other)]);
  });

  it('keeps the role chosen while it is offered, else picks the first offered', () => {
    expect(chosenOrFirst(rolesUpTo('admin', ROLE_WORDS), 'editor')).toBe('editor');
    expect(chosenOrFirst(rolesUpTo('contributor', ROLE_WORDS), 'editor')).toBe('contributor');
    expect(chosenOrFirst(rolesUpTo(undefined, ROLE_WORDS), 'editor')).toBe('editor');
  });
});

describe('the audit log in words', () => {
  const event = (action: AuditEvent['action'], details: Record<string, unknown>, actor: AuditEvent['actor'] = { kind: 'user', id: 'u1', name: 'Ada' }): AuditEvent => ({
    id: 'e1',
    action,
    actor,
    at: '2026-12-01T10:00:00.000Z',
    details,
    ip: null,
    subject: { type: 'user', id: 'u2' },
  });
  const said = (audit: AuditEvent) => `${auditActor(audit)} ${auditWhat(audit)}.`;

  it('says who did what for every action', () => {
    expect(said(event('member.signed_in', {}))).toBe('Ada signed in.');
    expect(said(event('member.role_changed', { email: 'grace@example.com', from: 'viewer', to: 'editor' }))).toBe('Ada changed grace@example.com’s role from viewer to editor.');
    expect(said(event('member.removed', { email: 'grace@example.com', role: 'editor' }))).toBe('Ada removed grace@example.com (editor) from the workspace.');
    expect(said(event('member.left', { email: 'ada@example.com', role: 'viewer' }))).toBe('Ada left the workspace (was viewer).');
    expect(said(event('invitation.created', { email: 'grace@example.com', role: 'contributor' }))).toBe('Ada invited grace@example.com as contributor.');
    expect(said(event('invitation.accepted', { email: 'grace@example.com', role: 'contributor', newAccount: true }, { kind: 'user', id: 'u2', name: 'Grace' }))).toBe(
      'Grace accepted the invitation for grace@example.com as contributor, with a new account.',
    );
    expect(said(event('invitation.revoked', { email: 'grace@example.com', role: 'viewer' }))).toBe('Ada revoked the invitation for grace@example.com as viewer.');
    expect(said(event('invitation.revoked', { email: 'grace@example.com', replacedBy: 'a new invitation' }))).toBe('Ada replaced the invitation for grace@example.com by a new one.');
    expect(said(event('channel.connected', { network: 'mastodon', handle: '@acme@mastodon.social' }))).toBe('Ada connected Mastodon @acme@mastodon.social.');
    expect(said(event('channel.reconnected', { network: 'bluesky', handle: 'acme.bsky.social' }))).toBe('Ada reconnected Bluesky acme.bsky.social.');
    expect(said(event('channel.removed', { network: 'x', handle: 'acme' }, { kind: 'api_key', id: 'k1', name: 'CMS' }))).toBe('The API key “CMS” removed X @acme.');
    expect(said(event('channel.queue_reordered', { network: 'x', handle: 'acme', shuffled: false, queued: 3 }))).toBe('Ada reordered the queue of X @acme (3 posts).');
    expect(said(event('channel.queue_reordered', { network: 'mastodon', handle: '@acme@mastodon.social', shuffled: true, queued: 1 }))).toBe('Ada shuffled the queue of Mastodon @acme@mastodon.social (one post).');
    expect(said(event('api_key.created', { name: 'CMS', role: 'editor' }, { kind: 'operator', id: null }))).toBe('The operator made the API key “CMS” (editor).');
    expect(said(event('api_key.revoked', { name: 'CMS', role: 'editor' }))).toBe('Ada revoked the API key “CMS”.');
    expect(said(event('post.approved', { notice: null }))).toBe('Ada approved a post.');
    expect(said(event('post.rejected', { note: 'Not this week' }))).toBe('Ada rejected a post: “Not this week”.');
    expect(said(event('member.signed_in', {}, { kind: 'user', id: null }))).toBe('Someone who is no longer a member signed in.');
  });
});

describe('where signing in goes next', () => {
  it('goes back to a path of this origin only', () => {
    expect(safeRedirect('/posts?status=failed')).toBe('/posts?status=failed');
    expect(safeRedirect('/oauth/authorize?client_id=a&state=b')).toBe('/oauth/authorize?client_id=a&state=b');
    for (const elsewhere of [undefined, '', 'https://evil.example/', '//evil.example/', '/\\evil.example/', '/sign-in', 'posts']) expect(safeRedirect(elsewhere)).toBe('/');
  });

  it("loads the API's own consent page in full, and routes the app's pages", () => {
    expect(isServerPage('/oauth/authorize?response_type=code&client_id=a')).toBe(true);
    expect(isServerPage('/oauth/authorize')).toBe(true);
    expect(isServerPage('/oauth/authorized-apps')).toBe(false);
    expect(isServerPage('/posts')).toBe(false);
  });
});
