/**
 * The web app's pure parts, in Node: the calendar's days in a zone (across a
 * DST change) and where a dropped post lands, the live refresh interval, and
 * where a preview splits a text at a network's limit.
 */
import { DateTime } from 'luxon';
import { countText } from '@herald/channels/rules';
import { ROLES, outranks as apiOutranks } from '../apps/api/src/access/permissions';
import { auditActor, auditWhat, type AuditEvent } from '../apps/web/src/features/audit/audit-words';
import { ROLE_WORDS, chosenOrFirst, outranks, rolesUpTo } from '../apps/web/src/features/members/roles';
import type { DeliveryView, PostView } from '../apps/web/src/api/views';
import { calendarEntries, calendarRange, cellId, droppedAt, entriesByCell, shifted } from '../apps/web/src/features/calendar/calendar-grid';
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
    ...change,
  };
}

function post(id: string, deliveries: DeliveryView[]): PostView {
  const at = '2026-01-01T00:00:00Z';
  return { id, status: 'scheduled', text: id, media: [], variants: {}, schedule: null, createdAt: at, updatedAt: at, createdBy: null, updatedBy: null, approvedAt: null, approvedBy: null, review: null, deliveries };
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

  it("puts a delivery on the person's day and hour, one entry per post and instant, movable only while scheduled", () => {
    const range = calendarRange('week', '2026-12-02', 'Europe/Berlin');
    const at = '2026-12-02T23:30:00.000Z'; // 00:30 on the 3rd in Berlin, still the 2nd in New York
    const entries = calendarEntries(
      [
        post('p1', [delivery({ id: 'a', scheduledAt: at }), delivery({ id: 'b', channelId: 'c2', network: 'mastodon', scheduledAt: at })]),
        post('p2', [delivery({ id: 'c', status: 'published', scheduledAt: at, publishedAt: '2026-12-01T08:00:00.000Z' })]),
        post('p3', [delivery({ id: 'd', scheduledAt: '2026-12-20T08:00:00.000Z' })]),
      ],
      range,
    );
    expect(entries.map((entry) => [entry.post.id, entry.at.toFormat('yyyy-MM-dd HH:mm'), entry.deliveries.length, entry.movable])).toEqual([
      ['p2', '2026-12-01 09:00', 1, false],
      ['p1', '2026-12-03 00:30', 2, true],
    ]);
    const newYork = calendarEntries([post('p1', [delivery({ scheduledAt: at })])], calendarRange('week', '2026-12-02', 'America/New_York'));
    expect(newYork[0]!.at.toFormat('yyyy-MM-dd HH:mm')).toBe('2026-12-02 18:30');
  });

  it("files each entry under the cell it is shown in (the person's day, or day and hour), in time order", () => {
    const range = calendarRange('month', '2026-12-02', 'Europe/Berlin');
    const entries = calendarEntries(
      [
        post('late', [delivery({ scheduledAt: '2026-12-02T23:30:00.000Z' })]), // 00:30 on the 3rd in Berlin
        post('early', [delivery({ scheduledAt: '2026-12-02T22:10:00.000Z' })]), // 23:10 on the 2nd
        post('same-hour', [delivery({ scheduledAt: '2026-12-02T22:50:00.000Z' })]), // 23:50 on the 2nd
      ],
      range,
    );
    const day = (date: string) => DateTime.fromISO(date, { zone: 'Europe/Berlin' });
    const ids = (cells: Map<string, typeof entries>, id: string) => cells.get(id)?.map((entry) => entry.post.id);
    const byDay = entriesByCell(entries, 'month');
    expect(ids(byDay, cellId(day('2026-12-02')))).toEqual(['early', 'same-hour']);
    expect(ids(byDay, cellId(day('2026-12-03')))).toEqual(['late']);
    expect(byDay.size).toBe(2);
    const byHour = entriesByCell(entries, 'week');
    expect(ids(byHour, cellId(day('2026-12-02'), 23))).toEqual(['early', 'same-hour']);
    expect(ids(byHour, cellId(day('2026-12-03'), 0))).toEqual(['late']);
    expect(ids(byHour, cellId(day('2026-12-02'), 22))).toBeUndefined();
  });

  it('moves a dropped post to the hour (keeping its minutes) or the day (keeping its time), and nowhere else', () => {
    const at = DateTime.fromISO('2026-12-02T15:45', { zone: 'Europe/Berlin' });
    expect(droppedAt(cellId(DateTime.fromISO('2026-12-04', { zone: 'Europe/Berlin' }), 9), at)).toBe('2026-12-04T09:45');
    expect(droppedAt(cellId(DateTime.fromISO('2026-12-24', { zone: 'Europe/Berlin' })), at)).toBe('2026-12-24T15:45');
    expect(droppedAt('somewhere', at)).toBeUndefined();
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
    expect(said(event('channel.connected', { network: 'mastodon', handle: 'acme' }))).toBe('Ada connected Mastodon @acme.');
    expect(said(event('channel.reconnected', { network: 'bluesky', handle: 'acme.bsky.social' }))).toBe('Ada reconnected Bluesky @acme.bsky.social.');
    expect(said(event('channel.removed', { network: 'x', handle: 'acme' }, { kind: 'api_key', id: 'k1', name: 'CMS' }))).toBe('The API key “CMS” removed X @acme.');
    expect(said(event('api_key.created', { name: 'CMS', role: 'editor' }, { kind: 'operator', id: null }))).toBe('The operator made the API key “CMS” (editor).');
    expect(said(event('api_key.revoked', { name: 'CMS', role: 'editor' }))).toBe('Ada revoked the API key “CMS”.');
    expect(said(event('post.approved', { notice: null }))).toBe('Ada approved a post.');
    expect(said(event('post.rejected', { note: 'Not this week' }))).toBe('Ada rejected a post: “Not this week”.');
    expect(said(event('member.signed_in', {}, { kind: 'user', id: null }))).toBe('Someone who is no longer a member signed in.');
  });
});
