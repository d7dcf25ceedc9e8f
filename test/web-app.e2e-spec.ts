/**
 * The web app as a person uses it: served by the built API at `/`, driven in
 * a real Chromium against the real API, worker and mock networks. Every page
 * is checked by axe (no serious or critical violation) and photographed at
 * desktop and phone width into test/screenshots/.
 */
import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { checkChannel } from '../apps/web/src/features/compose/checks';
import { checkPage, launchChromium, personContext } from './support/browser';
import { http } from './support/http';
import { image } from './support/media-files';
import { Stack } from './support/stack';

// A browser on a loaded CI machine: a walk through many pages, each checked by axe at two widths, takes its time.
jest.setTimeout(240_000);

const PASSWORD = 'a long enough password';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // Anyone may sign up: each test is a person of their own, in a workspace of their own.
  [stack, browser] = await Promise.all([Stack.start({ env: { AUTH_OPEN_SIGNUP: 'true' } }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** axe on the page as it is (no serious or critical WCAG 2.2 AA violation, at desktop and phone width, light and dark), and its screenshots. */
async function check(page: Page, name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

let people = 0;

/** A person signed up through the API, with a browser context carrying their session. */
async function signedInPerson() {
  people += 1;
  const email = `person${people}-${Date.now()}@example.com`;
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: PASSWORD, name: `Person ${people}` } });
  if (answer.status !== 201) throw new Error(`sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const context = await personContext(browser, stack.apiUrl);
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'test', role: 'admin' } });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  return { context, page: await context.newPage(), email, apiKey: key.body.key as string, workspaceId: answer.body.memberships[0].workspaceId };
}

type Person = Awaited<ReturnType<typeof signedInPerson>>;

/** The person's channel, connected through the API (the browser flows have a test of their own). */
async function channelOf(person: Person, network: string, body: Record<string, unknown> = {}) {
  return stack.channel(person.apiKey, { network, handle: `acme${people}`, ...body });
}

async function api(person: Person, method: string, path: string, body?: unknown) {
  return http(method, `${stack.apiUrl}${path}`, { token: person.apiKey, body });
}

describe('the API serves the web app', () => {
  it('answers / with the app, never cached, under a CSP that allows its own scripts and picked files', async () => {
    const page = await fetch(`${stack.apiUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/img-src 'self' data: blob:/);
    // Herald on plain http (a LAN address) must not have its requests upgraded to https.
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('serves the hashed assets as immutable for a year, and a missing one as a 404, not as the page', async () => {
    const html = await (await fetch(`${stack.apiUrl}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2); // the script and the stylesheet
    for (const asset of assets) {
      const answer = await fetch(`${stack.apiUrl}${asset}`);
      expect([asset, answer.status, answer.headers.get('cache-control')]).toEqual([asset, 200, 'public, max-age=31536000, immutable']);
      await answer.arrayBuffer();
    }
    const missing = await http('GET', `${stack.apiUrl}/assets/index-00000000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it("answers any page path with the app (the router takes over), but never the API's paths", async () => {
    for (const path of ['/channels', '/calendar?view=month', '/posts/6f1c2a9e-0000-4000-8000-000000000000', '/sign-in']) {
      const answer = await fetch(`${stack.apiUrl}${path}`);
      expect([path, answer.status, answer.headers.get('content-type')]).toEqual([path, 200, expect.stringMatching(/^text\/html/)]);
      expect(await answer.text()).toContain('<div id="root"></div>');
    }
    for (const path of ['/v1/nothing-here', '/admin/nothing-here', '/health/nothing-here', '/metrics/x', '/public/nothing-here', '/v1']) {
      const answer = await http('GET', `${stack.apiUrl}${path}`);
      expect([path, answer.status, answer.headers.get('content-type')]).toEqual([path, 404, expect.stringMatching(/^application\/problem\+json/)]);
    }
    expect((await http('GET', `${stack.apiUrl}/health/live`)).body).toEqual(expect.objectContaining({ status: 'ok' }));
    expect((await fetch(`${stack.apiUrl}/docs/openapi.json`)).headers.get('content-type')).toMatch(/json/);
    expect((await http('GET', `${stack.apiUrl}/v1/channels`)).status).toBe(401);
    // Only reads fall back to the page.
    expect((await http('POST', `${stack.apiUrl}/channels`, { body: {} })).status).toBe(404);
  });
});

describe('a person in the browser', () => {
  it('signs up, then connects Mastodon through its OAuth consent and Bluesky with an app password', async () => {
    const context = await personContext(browser, stack.apiUrl);
    const page = await context.newPage();
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await check(page, 'sign-in');
    await page.getByRole('link', { name: 'Create the first account' }).click();
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Email').fill(`ada-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The API's refusal, next to the field it names.
    await expectVisible(page.getByText(/at least 10 characters/i).last());
    await check(page, 'sign-up');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Workspace name').fill('Acme');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/channels$/);
    await expectVisible(page.getByRole('heading', { name: 'Channels', level: 1 }));
    await check(page, 'channels-empty');

    await page.getByRole('button', { name: 'Mastodon' }).click();
    await page.getByLabel('Mastodon instance').fill(stack.networkUrl('mastodon'));
    await page.getByRole('button', { name: 'Continue to Mastodon' }).click();
    // The mock instance consents at once and sends the browser back through Herald's callback.
    await page.waitForURL(/\/channels\/connected\?channelId=/);
    await expectVisible(page.getByRole('heading', { name: /^Mastodon @.+ is connected$/ }));
    await check(page, 'channel-connected');

    await page.getByRole('link', { name: 'Back to channels' }).click();
    await page.getByRole('button', { name: 'Bluesky' }).click();
    await page.getByLabel('Bluesky handle').fill('ada.bsky.social');
    await page.getByLabel('App password').fill('not an app password');
    await page.getByRole('button', { name: 'Connect Bluesky' }).click();
    await expectVisible(page.getByRole('alert'));
    await page.getByLabel('App password').fill('abcd-efgh-ijkl-mnop');
    await page.getByRole('button', { name: 'Connect Bluesky' }).click();
    await expectVisible(page.getByText('Bluesky ada.bsky.social is connected.'));
    const items = page.locator('.channel-item');
    await expectCount(items, 2);
    await expectVisible(items.filter({ hasText: 'Mastodon' }).getByText('active'));
    await check(page, 'channels');
    await context.close();
  });
});

describe('composing, scheduling and moving a post', () => {
  it("refuses a text too long for X by X's own count, then schedules the fixed post with an image at 09:00 New York, seen at 15:00 Berlin and moved a day by keyboard", async () => {
    const person = await signedInPerson();
    const [x, mastodon] = await Promise.all([channelOf(person, 'x'), channelOf(person, 'mastodon')]);
    const { page } = person;
    await page.goto('/compose');
    await page.getByRole('checkbox', { name: new RegExp(`^X @${x.apiHandle}`) }).check();
    await page.getByRole('checkbox', { name: new RegExp(`^Mastodon ${mastodon.apiHandle}`) }).check();
    // 300 characters: fine on Mastodon (500), 20 over on X (280).
    const long = `Launch day! ${'We ship the new scheduler to everyone today. '.repeat(7)}`.slice(0, 300);
    await page.getByLabel('Text', { exact: true }).fill(long);
    const xCounter = page.locator(`.counter[data-channel-id="${x.id}"]`);
    const mastodonCounter = page.locator(`.counter[data-channel-id="${mastodon.id}"]`);
    await expectVisible(xCounter.getByText('300/280'));
    await expectVisible(xCounter.getByText(/Text is 300 weighted characters; X allows 280/));
    expect(await xCounter.getAttribute('class')).toContain('refused');
    await expectVisible(mastodonCounter.getByText('300/500'));
    expect(await mastodonCounter.getAttribute('class')).not.toContain('refused');
    // The preview marks what X would refuse.
    await expectVisible(page.getByRole('article', { name: `Preview on X ${x.apiHandle}` }).locator('mark.preview-over'));
    // Both channels have the default times Herald gave them at connect: "Add to queue" is offered at once, nothing asks to set times.
    expect(await page.getByRole('button', { name: 'Add to queue' }).isDisabled()).toBe(false);
    expect(await page.getByRole('link', { name: /^Set posting times for/ }).count()).toBe(0);
    await page.getByRole('radio', { name: /Save as draft/ }).check();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expectVisible(page.getByRole('alert').getByText('Not sent: the post breaks a rule of these channels.'));
    expect((await api(person, 'GET', '/v1/posts')).body.data).toEqual([]);
    await check(page, 'compose-refused');

    const text = 'Launch day! Read all about it: https://example.com/blog/launch';
    await page.getByLabel('Text', { exact: true }).fill(text);
    // X counts the link 23, whatever its length: the same number the rules module gives.
    expect(checkChannel({ id: x.id, network: 'x', limits: {} }, text, []).length).toBe(31 + 23);
    await expectVisible(xCounter.getByText(`${31 + 23}/280`));
    expect(await xCounter.getAttribute('class')).not.toContain('refused');
    await expectVisible(page.getByRole('article', { name: `Preview on X ${x.apiHandle}` }).locator('.link-card .link-card-host').getByText('example.com', { exact: true }));
    await page.getByLabel('Add images or video').setInputFiles({ name: 'launch.png', mimeType: 'image/png', buffer: await image('png', 1200, 800) });
    const alt = page.getByLabel('Alt text for launch.png');
    await alt.fill('The team cheering in front of the launch screen');
    await expectVisible(page.getByText('image/png, 1200×800'));
    // With an image there is no link card, and the preview shows the image with its alt text.
    await expectVisible(page.getByRole('article', { name: `Preview on X ${x.apiHandle}` }).getByRole('img', { name: 'The team cheering in front of the launch screen' }));

    const day = DateTime.now().setZone('America/New_York').plus({ days: 1 }).toISODate()!;
    const at = DateTime.fromISO(`${day}T09:00`, { zone: 'America/New_York' });
    await page.getByRole('radio', { name: /At a date and time/ }).check();
    await page.getByLabel('Date and time', { exact: true }).fill(`${day}T09:00`);
    await page.getByLabel('Time zone', { exact: true }).selectOption('America/New_York');
    await check(page, 'compose');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const postId = page.url().split('/').pop()!;
    const post = (await api(person, 'GET', `/v1/posts/${postId}`)).body;
    expect(post.deliveries.map((delivery: { scheduledAt: string }) => delivery.scheduledAt)).toEqual([at.toUTC().toISO({ suppressMilliseconds: false }), at.toUTC().toISO({ suppressMilliseconds: false })]);
    expect(post.media).toEqual([expect.objectContaining({ mediaId: expect.any(String), alt: 'The team cheering in front of the launch screen' })]);
    // In the person's zone (Europe/Berlin) and locale (en-GB): 09:00 in New York is 15:00 there.
    const berlin = at.setZone('Europe/Berlin');
    expect(berlin.hour).toBe(15);
    const shown = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(at.toJSDate());
    await expectVisible(page.locator(`.delivery[data-delivery-id="${post.deliveries[0].id}"]`).getByText(`Goes out ${shown}`));
    // Its image, fetched through the API client, with its alt text.
    await expectVisible(page.locator('.post-media').getByRole('img', { name: 'The team cheering in front of the launch screen' }));
    await check(page, 'post-scheduled');

    await page.goto(`/calendar?view=week&date=${berlin.toISODate()}`);
    const chip = page.locator(`.calendar-chip[data-post-id="${postId}"]`);
    await expectVisible(page.locator(`td[data-cell="hour:${berlin.toISODate()}T15"]`).locator(`.calendar-chip[data-post-id="${postId}"]`));
    await check(page, 'calendar-week');

    // Move it to the same hour of the next day with the keyboard (Sunday: the previous day, in the same week):
    // the API's delivery time moves one day.
    const forward = berlin.weekday !== 7;
    const nextDay = berlin.plus({ days: forward ? 1 : -1 });
    const target = page.locator(`td[data-cell="hour:${nextDay.toISODate()}T15"]`);
    await chip.getByRole('button', { name: /^Move/ }).focus();
    // Each key once the app has taken the last (a loaded machine can be slower than any fixed pause): lifted, then moved a cell.
    await page.keyboard.press('Space');
    await expectVisible(page.locator(`.calendar-chip.dragging[data-post-id="${postId}"]`));
    await page.keyboard.press(forward ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForFunction((selector) => {
      const moving = (globalThis as unknown as { document: { querySelector(selector: string): { style: { transform: string } } | null } }).document.querySelector(selector);
      return moving !== null && /translate3d\((?!0px, 0px)/.test(moving.style.transform);
    }, `.calendar-chip.dragging[data-post-id="${postId}"]`);
    await page.keyboard.press('Space');
    await expectVisible(target.locator(`.calendar-chip[data-post-id="${postId}"]`));
    const moved = (await api(person, 'GET', `/v1/posts/${postId}`)).body;
    expect(moved.deliveries.map((delivery: { scheduledAt: string }) => delivery.scheduledAt)).toEqual(
      Array(2).fill(nextDay.toUTC().toISO({ suppressMilliseconds: false })),
    );

    await page.goto(`/calendar?view=month&date=${nextDay.toISODate()}`);
    await expectVisible(page.locator(`td[data-cell="day:${nextDay.toISODate()}"]`).locator(`.calendar-chip[data-post-id="${postId}"]`));
    await check(page, 'calendar-month');

    // A post being published cannot be moved (here by mouse): the API's 409, said on the page.
    const dragDay = nextDay.weekday === 7 ? nextDay.minus({ days: 1 }) : nextDay.plus({ days: 1 });
    const dragCell = page.locator(`td[data-cell="day:${dragDay.toISODate()}"]`);
    await stack.db.query(`UPDATE deliveries SET status = 'publishing' WHERE post_id = $1`, [postId]);
    try {
      await dragTo(page, page.locator(`.calendar-chip[data-post-id="${postId}"]`).getByRole('button', { name: /^Move/ }), dragCell);
      await expectVisible(page.getByRole('alert').getByText(/is being published right now/));
    } finally {
      await stack.db.query(`UPDATE deliveries SET status = 'scheduled' WHERE post_id = $1`, [postId]);
    }
    // Scheduled again, the same drag moves it: the day changes, the time of day (15:00 in Berlin) stays.
    await page.reload();
    await dragTo(page, page.locator(`.calendar-chip[data-post-id="${postId}"]`).getByRole('button', { name: /^Move/ }), dragCell);
    await expectVisible(dragCell.locator(`.calendar-chip[data-post-id="${postId}"]`));
    const draggedAt = dragDay.toUTC().toISO({ suppressMilliseconds: false });
    await waitUntil(async () => (await api(person, 'GET', `/v1/posts/${postId}`)).body.deliveries[0].scheduledAt === draggedAt);
    const dragged = (await api(person, 'GET', `/v1/posts/${postId}`)).body;
    expect(dragged.deliveries.map((delivery: { scheduledAt: string }) => delivery.scheduledAt)).toEqual(
      Array(2).fill(draggedAt),
    );

    // Edited from its page: the text, a variant for Mastodon, the files (one replaced, with its alt text) and the time.
    await page.goto(`/posts/${postId}`);
    await page.getByRole('button', { name: 'Edit post' }).click();
    const editor = page.locator('form.post-editor');
    await editor.getByLabel('Text', { exact: true }).fill('Launch day, edited');
    await editor.getByRole('checkbox', { name: new RegExp(`^Customize for Mastodon ${mastodon.apiHandle}`) }).check();
    await editor.getByLabel(new RegExp(`^Text for Mastodon ${mastodon.apiHandle}`)).fill('Launch day, edited, on Mastodon');
    await expectVisible(editor.locator(`.counter[data-channel-id="${x.id}"]`).getByText('18/280'));
    await editor.getByLabel('Add images or video').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: await image('png', 640, 480) });
    await editor.getByLabel('Alt text for second.png').fill('The launch screen, close up');
    await editor.getByRole('button', { name: 'Remove launch.png' }).click();
    await editor.getByRole('checkbox', { name: 'Change when it goes out' }).check();
    // A time in the past: the API's 422, shown at the schedule.
    await editor.getByLabel('Date and time', { exact: true }).fill('2020-01-06T09:00');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await expectVisible(editor.locator('.schedule-picker .field-errors').getByText('is in the past'));
    await check(page, 'post-edit');
    const later = nextDay.plus({ days: 1 }).set({ hour: 11, minute: 30 });
    await editor.getByLabel('Date and time', { exact: true }).fill(later.toFormat("yyyy-MM-dd'T'HH:mm"));
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    const edited = (await api(person, 'GET', `/v1/posts/${postId}`)).body;
    expect(edited.text).toBe('Launch day, edited');
    expect(edited.variants).toEqual({ [mastodon.id]: 'Launch day, edited, on Mastodon' });
    expect(edited.media).toEqual([expect.objectContaining({ mediaId: expect.any(String), alt: 'The launch screen, close up' })]);
    expect(edited.media[0].mediaId).not.toBe(post.media[0].mediaId);
    expect(edited.deliveries.map((delivery: { scheduledAt: string }) => delivery.scheduledAt)).toEqual(Array(2).fill(later.toUTC().toISO({ suppressMilliseconds: false })));
    await expectVisible(page.getByText('Launch day, edited, on Mastodon'));

    // Claimed while the form is open: the API's 409, said above the form, nothing changed.
    await page.getByRole('button', { name: 'Edit post' }).click();
    await editor.getByLabel('Text', { exact: true }).fill('Too late');
    await stack.db.query(`UPDATE deliveries SET status = 'publishing' WHERE post_id = $1`, [postId]);
    try {
      await editor.getByRole('button', { name: 'Save changes' }).click();
      await expectVisible(editor.getByRole('alert').getByText(/is being published right now/));
      expect((await api(person, 'GET', `/v1/posts/${postId}`)).body.text).toBe('Launch day, edited');
    } finally {
      await stack.db.query(`UPDATE deliveries SET status = 'scheduled' WHERE post_id = $1`, [postId]);
    }
    await person.context.close();
  });
});

describe('live updates', () => {
  it('shows a post going from scheduled to published without a reload', async () => {
    const person = await signedInPerson();
    const mastodon = await channelOf(person, 'mastodon');
    const created = await api(person, 'POST', '/v1/posts', { text: 'Live from the web app', channelIds: [mastodon.id], schedule: { mode: 'at', at: new Date(Date.now() + 6_000).toISOString() } });
    expect(created.status).toBe(201);
    const { page } = person;
    await page.goto(`/posts/${created.body.id}`);
    const delivery = page.locator(`.delivery[data-delivery-id="${created.body.deliveries[0].id}"]`);
    await expectVisible(delivery.locator('[data-status="scheduled"], .badge').getByText('scheduled'));
    await page.evaluate(() => ((globalThis as unknown as { stillHere: boolean }).stillHere = true));
    await page.locator(`.delivery[data-status="published"]`).waitFor({ timeout: 30_000 });
    await expectVisible(delivery.getByRole('link', { name: 'View on Mastodon' }));
    expect(await page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await check(page, 'post-published');
    await page.goto('/');
    await expectVisible(page.getByRole('link', { name: 'Live from the web app' }));
    await check(page, 'posts');
    await person.context.close();
  });
});

describe('a channel and its queue', () => {
  it('edits posting times and reorders three queued posts by keyboard, by button and by drag', async () => {
    const person = await signedInPerson();
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const mastodon = await channelOf(person, 'mastodon', { timezone: 'Europe/Berlin', postingSchedule: { slots: days.map((day) => ({ day, time: '09:00' })) } });
    for (const text of ['First', 'Second', 'Third']) {
      expect((await api(person, 'POST', '/v1/posts', { text, channelIds: [mastodon.id], schedule: { mode: 'queue' } })).status).toBe(201);
    }
    const order = async () => ((await api(person, 'GET', `/v1/channels/${mastodon.id}/queue`)).body.data as { text: string }[]).map((entry) => entry.text);
    const shownOrder = async () => page.locator('.queue-item .queue-text').allTextContents();
    const { page } = person;
    await page.goto(`/channels/${mastodon.id}`);
    await expectCount(page.locator('.queue-item'), 3);
    expect(await shownOrder()).toEqual(['First', 'Second', 'Third']);

    // Keyboard: focus the first post's handle, lift it with Space, move it down, drop it.
    await page.getByRole('button', { name: 'Reorder post 1: First' }).focus();
    for (const key of ['Space', 'ArrowDown', 'Space']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(150); // dnd-kit moves the lifted item in an animation frame
    }
    await waitUntil(async () => JSON.stringify(await order()) === JSON.stringify(['Second', 'First', 'Third']));
    await waitUntil(async () => JSON.stringify(await shownOrder()) === JSON.stringify(['Second', 'First', 'Third']));

    await page.getByRole('button', { name: 'Move up: Third' }).click();
    await waitUntil(async () => JSON.stringify(await order()) === JSON.stringify(['Second', 'Third', 'First']));

    await dragTo(page, page.getByRole('button', { name: /^Reorder post 3: First/ }), page.locator('.queue-item').first());
    await waitUntil(async () => JSON.stringify(await order()) === JSON.stringify(['First', 'Second', 'Third']));
    await waitUntil(async () => JSON.stringify(await shownOrder()) === JSON.stringify(['First', 'Second', 'Third']));

    // Each post keeps its slot by position: the first still goes out first.
    const queue = (await api(person, 'GET', `/v1/channels/${mastodon.id}/queue`)).body.data as { scheduledAt: string }[];
    expect(queue.map((entry) => entry.scheduledAt)).toEqual([...queue.map((entry) => entry.scheduledAt)].sort());
    await check(page, 'channel');

    // Posting times, a tab away from the queue: every weekday at 13:00 and 17:30 in one step.
    await page.getByRole('tab', { name: 'Posting times' }).click();
    await expectVisible(page.locator('.slot-group-days').getByText('Every day', { exact: true }));
    await page.getByRole('button', { name: 'Weekdays', exact: true }).click();
    await page.getByLabel('Times', { exact: true }).fill('13:00, 17:30');
    await page.getByRole('button', { name: 'Add 13:00, 17:30 on Weekdays' }).click();
    await expectVisible(page.locator('.slot-group').filter({ hasText: 'Weekdays' }).getByText('17:30'));
    await check(page, 'channel-times');
    await page.getByRole('button', { name: 'Save posting times' }).click();
    await expectVisible(page.getByRole('status').getByText(/Saved/));
    const saved = (await api(person, 'GET', `/v1/channels/${mastodon.id}`)).body;
    expect(saved.postingSchedule.slots).toHaveLength(7 + 10);
    expect(saved.postingSchedule.slots).toEqual(expect.arrayContaining([{ day: 'mon', time: '13:00' }, { day: 'fri', time: '17:30' }, { day: 'sun', time: '09:00' }]));
    expect(saved.postingSchedule.slots).not.toEqual(expect.arrayContaining([{ day: 'sat', time: '13:00' }]));
    await person.context.close();
  });
});

describe('the other pages', () => {
  it('makes an API key and a webhook, and every page passes axe', async () => {
    const person = await signedInPerson();
    const { page } = person;
    await page.goto('/settings/api-keys');
    await page.getByLabel('Name').fill('Release script');
    await page.getByRole('button', { name: 'Make a key' }).click();
    await expectVisible(page.locator('code.secret').getByText(/^hrld_/));
    await expectVisible(page.getByRole('cell', { name: 'Release script', exact: true }));
    // A key for one client's channel only: picked with compose's channel picker, listed with its channel.
    const client = await channelOf(person, 'mastodon', { handle: `client${people}` });
    await channelOf(person, 'x');
    await page.reload();
    await page.getByLabel('Name').fill('Client agent');
    await page.getByRole('radio', { name: /Only some channels/ }).check();
    await page.getByRole('checkbox', { name: new RegExp(`client${people}`) }).check();
    await page.getByRole('button', { name: 'Make a key' }).click();
    await expectVisible(page.locator('code.secret').getByText(/^hrld_/));
    const limited = (await api(person, 'GET', '/v1/api-keys')).body.data.find((key: { name: string }) => key.name === 'Client agent');
    expect(limited.channelIds).toEqual([client.id]);
    await expectVisible(page.getByRole('row', { name: /Client agent/ }).locator(`[data-channel-id="${client.id}"]`));
    await check(page, 'api-keys');
    // The audit log, a page of 50 at a time: 53 keys made (the sign-up's, these two, 50 more) and the rest on "Load more".
    const made = await Promise.all(Array.from({ length: 50 }, (_, index) => api(person, 'POST', '/v1/api-keys', { name: `Bulk ${index + 1}`, role: 'viewer' })));
    expect(made.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    // The audit log sits in the navigation's Settings menu.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Audit log' }).click();
    const events = page.locator('table.audit-log tbody tr');
    await expectCount(events, 50);
    await expectVisible(page.getByText('The API key “test” made the API key “Bulk 50” (viewer).'));
    await page.getByRole('button', { name: 'Load more' }).click();
    await expectVisible(page.getByText(/ made the API key “Release script” \(editor\)\.$/));
    expect(await events.count()).toBeGreaterThanOrEqual(53);
    await expectVisible(page.getByText('made the API key “test” (admin).'));
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await check(page, 'audit');
    await page.goto('/settings/webhooks');
    await page.getByLabel('Address').fill('https://hooks.example.com/herald');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expectVisible(page.locator('code.secret').getByText(/^whsec_/));
    await check(page, 'webhooks');
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expectVisible(page.getByRole('status').getByText(/If an account has the email nobody@example.com/));
    await check(page, 'forgot-password');
    await page.goto('/reset-password#token=not-a-real-token');
    await page.getByLabel('New password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectVisible(page.getByRole('alert'));
    await check(page, 'reset-password');
    await page.goto('/no-such-page');
    await expectVisible(page.getByRole('heading', { name: 'Page not found' }));
    await check(page, 'not-found');
    await person.context.close();
  });
});

describe('people, roles and approvals', () => {
  it("invites a contributor and a viewer by link; the contributor's post waits until it is approved; the viewer has no Compose and the API refuses it", async () => {
    const owner = await signedInPerson();
    const mastodon = await channelOf(owner, 'mastodon');
    const invite = async (email: string, role: string): Promise<string> => {
      await owner.page.goto('/settings/members');
      await owner.page.getByLabel('Email').fill(email);
      await owner.page.getByLabel('Role', { exact: true }).selectOption(role);
      await owner.page.getByRole('button', { name: 'Make an invitation link' }).click();
      const link = owner.page.locator('code.invitation-link');
      await expectVisible(link);
      return (await link.textContent())!;
    };
    const join = async (link: string, name: string, shot?: string): Promise<Page> => {
      const context = await personContext(browser, stack.apiUrl);
      const page = await context.newPage();
      await page.goto(link);
      await expectVisible(page.getByRole('heading', { name: /^Join / }));
      if (shot) await check(page, shot);
      await page.getByLabel('Your name').fill(name);
      await page.getByLabel('Choose a password').fill(PASSWORD);
      await page.getByRole('button', { name: /^Join / }).click();
      await page.waitForURL(`${stack.apiUrl}/`);
      await expectVisible(page.getByRole('heading', { name: 'Posts', level: 1 }));
      return page;
    };

    const writerLink = await invite(`writer-${Date.now()}@example.com`, 'contributor');
    expect(writerLink).toMatch(new RegExp(`^${stack.apiUrl}/accept-invitation#token=`));
    await check(owner.page, 'members');
    const writer = await join(writerLink, 'Writer', 'accept-invitation');
    // A contributor writes, but does not approve.
    await expectVisible(writer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }));
    expect(await writer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).count()).toBe(0);
    await writer.goto('/compose');
    await writer.getByRole('checkbox', { name: new RegExp(`^Mastodon ${mastodon.apiHandle}`) }).check();
    await writer.getByLabel('Text', { exact: true }).fill('Our new office opens on Monday');
    const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 2 }).toISODate()!;
    await writer.getByRole('radio', { name: /At a date and time/ }).check();
    await writer.getByLabel('Date and time', { exact: true }).fill(`${day}T10:00`);
    await writer.getByRole('button', { name: 'Submit for approval' }).click();
    await writer.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const postId = writer.url().split('/').pop()!;
    await expectVisible(writer.getByRole('heading', { name: 'Waiting for approval' }));
    expect((await api(owner, 'GET', `/v1/posts/${postId}`)).body.status).toBe('pending_approval');
    await check(writer, 'post-waiting');

    await owner.page.goto('/approvals');
    const waiting = owner.page.locator(`.approval[data-post-id="${postId}"]`);
    await expectVisible(waiting.getByText('By Writer'));
    await check(owner.page, 'approvals');
    await waiting.getByRole('button', { name: /^Approve/ }).click();
    await expectVisible(owner.page.getByRole('status').getByText(/^Approved “Our new office opens on Monday”\. It is scheduled as asked\./));
    const approved = (await api(owner, 'GET', `/v1/posts/${postId}`)).body;
    expect(approved.status).toBe('scheduled');
    expect(approved.deliveries[0].scheduledAt).toBe(DateTime.fromISO(`${day}T10:00`, { zone: 'Europe/Berlin' }).toUTC().toISO());

    // The contributor's edit of the approved post sends it back for approval, and the form says so first.
    await writer.goto(`/posts/${postId}`);
    await writer.getByRole('button', { name: 'Edit post' }).click();
    await expectVisible(writer.getByText('Saving sends it back for approval'));
    await writer.getByLabel('Text', { exact: true }).fill('Our new office opens on Tuesday');
    await writer.getByRole('button', { name: 'Save and submit for approval' }).click();
    await expectVisible(writer.getByRole('heading', { name: 'Waiting for approval' }));
    const resubmitted = (await api(owner, 'GET', `/v1/posts/${postId}`)).body;
    expect([resubmitted.status, resubmitted.text]).toEqual(['pending_approval', 'Our new office opens on Tuesday']);

    const viewer = await join(await invite(`viewer-${Date.now()}@example.com`, 'viewer'), 'Viewer');
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    await expectVisible(nav.getByRole('link', { name: 'Calendar' }));
    expect(await nav.getByRole('link', { name: 'Compose' }).count()).toBe(0);
    // The viewer's Settings menu has members, not the audit log.
    await nav.getByRole('button', { name: 'Settings' }).click();
    await expectVisible(viewer.getByRole('menuitem', { name: 'Members' }));
    expect(await viewer.getByRole('menuitem', { name: 'Audit log' }).count()).toBe(0);
    await viewer.keyboard.press('Escape');
    expect(await viewer.getByRole('link', { name: 'New post' }).count()).toBe(0);
    // Straight to the API with the viewer's own session: refused, naming the role.
    const refused = await viewer.evaluate(async (channelId) => {
      const me = (await (await fetch('/v1/auth/me')).json()) as { csrfToken: string };
      const answer = await fetch('/v1/posts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ text: 'Not mine to post', channelIds: [channelId], schedule: { mode: 'now' } }),
      });
      return { status: answer.status, body: (await answer.json()) as { detail: string } };
    }, mastodon.id);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/viewer/);

    // The viewer leaves: in no workspace now, the app says so instead of pages that would fail; the owner's list no longer has them.
    await viewer.goto('/settings/members');
    await viewer.getByRole('button', { name: 'Leave the workspace' }).click();
    // Asked first, in a dialog (Radix AlertDialog).
    await viewer.getByRole('alertdialog', { name: 'Leave this workspace?' }).getByRole('button', { name: 'Leave', exact: true }).click();
    await expectVisible(viewer.getByRole('heading', { name: 'No workspace', level: 1 }));
    expect(await viewer.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await check(viewer, 'no-workspace');
    const members = (await api(owner, 'GET', '/v1/members')).body.data as { name: string }[];
    expect(members.map((member) => member.name)).not.toContain('Viewer');
    await Promise.all([writer.context().close(), viewer.context().close(), owner.context.close()]);
  });
});

describe("the app's counters and the API", () => {
  it('count every text alike, with the channel’s own limit: what the counter refuses the API refuses, with the same words', async () => {
    const person = await signedInPerson();
    const [x, bluesky, mastodon, wider] = await Promise.all([channelOf(person, 'x'), channelOf(person, 'bluesky'), channelOf(person, 'mastodon'), channelOf(person, 'mastodon', { instance: 1 })]);
    // An instance that allows 600 characters (as connecting would have read from its /api/v2/instance).
    await stack.db.query(`UPDATE channels SET details = jsonb_set(details, '{limits}', '{"maxCharacters": 600}') WHERE id = $1`, [wider.id]);
    const channels = (await api(person, 'GET', '/v1/channels')).body.data as { id: string; network: 'x'; handle: string; limits: Record<string, number> }[];
    expect(channels.find((channel) => channel.id === wider.id)!.limits).toEqual({ maxCharacters: 600 });
    const url = `https://example.com/${'path/'.repeat(30)}`;
    const texts: Record<string, string[]> = {
      [x.id]: [
        'a'.repeat(280), 'a'.repeat(281),
        `${'a'.repeat(256)} ${url}`, `${'a'.repeat(257)} ${url}`,
        '👍'.repeat(140), '👍'.repeat(141), '🫶🏽'.repeat(140), '🫶🏽'.repeat(141),
        '日本語'.repeat(46) + '日本', '日本語'.repeat(47),
        `${'x'.repeat(250)} see example.com`, `${'x'.repeat(253)} see example.com`,
      ],
      [bluesky.id]: ['a'.repeat(300), 'a'.repeat(301), 'e\u0301'.repeat(300), 'e\u0301'.repeat(301), '👨‍👩‍👧‍👦'.repeat(120), '👨‍👩‍👧‍👦'.repeat(121)],
      [mastodon.id]: [`${'a'.repeat(476)} ${url}`, `${'a'.repeat(477)} ${url}`, `${'a'.repeat(480)} @alice@mastodon.example.org`, `${'a'.repeat(495)} @alice@mastodon.example.org`, '👨‍👩‍👧‍👦'.repeat(500), '👨‍👩‍👧‍👦'.repeat(501)],
      [wider.id]: ['a'.repeat(600), 'a'.repeat(601)],
    };
    let refused = 0;
    for (const [channelId, list] of Object.entries(texts)) {
      const channel = channels.find((entry) => entry.id === channelId)!;
      for (const text of list) {
        const app = checkChannel(channel, text, []);
        const server = await api(person, 'POST', '/v1/posts', { text, channelIds: [channelId], schedule: { mode: 'draft' } });
        const label = `${channel.network} ${text.length} characters: app ${app.length}/${app.limit}`;
        if (app.violations.length === 0) expect([label, server.status]).toEqual([label, 201]);
        else {
          refused += 1;
          expect([label, server.status]).toEqual([label, 422]);
          expect(server.body.errors.map((error: { message: string }) => error.message)).toEqual(
            app.violations.map((violation) => `channel ${channelId} (${channel.network} ${channel.handle}): ${violation.message}`),
          );
        }
      }
    }
    expect(refused).toBe(13);
    await person.context.close();
  });
});

/** A drag as a person's mouse makes it: press on the handle, move in steps onto the target, release. */
async function dragTo(page: Page, handle: Locator, target: Locator): Promise<void> {
  await handle.scrollIntoViewIfNeeded();
  const from = (await handle.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await target.scrollIntoViewIfNeeded();
  const to = (await target.boundingBox())!;
  const start = (await handle.boundingBox())!;
  await page.mouse.move(start.x + start.width / 2 + 8, start.y + start.height / 2 + 8, { steps: 2 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function expectCount(locator: Locator, count: number): Promise<void> {
  await locator.nth(count - 1).waitFor({ state: 'visible' });
  expect(await locator.count()).toBe(count);
}
