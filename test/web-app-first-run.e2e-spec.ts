/**
 * A new person's first run in a real Chromium, against the real API, worker
 * and mock networks: the frame drawn before the session check answers, sign-up
 * sending the browser's zone, channels told apart by avatar and network mark,
 * the onboarding checklist, compose refusing to queue for a channel without
 * posting times (and linking to set them), times set by weekday group, a
 * channel's zone named beside its times, and a contributor's post reaching the
 * approver through the navigation's count and the bell, with each network's
 * preview. Every page is checked by axe and for sideways scroll at 1400 and 375 px.
 */
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PHONE, checkPage, launchChromium, personContext } from './support/browser';
import { http } from './support/http';
import { Stack } from './support/stack';

// A browser on a loaded CI machine: a walk through many pages, each checked by axe at two widths, takes its time.
jest.setTimeout(240_000);

const PASSWORD = 'a long enough password';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([Stack.start({ env: { AUTH_OPEN_SIGNUP: 'true' } }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function check(page: Page, name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** The session cookie and CSRF token of the person signed in in `context`, for API calls made as them. */
async function asPerson(page: Page) {
  return page.evaluate(async () => {
    const me = (await (await fetch('/v1/auth/me')).json()) as { csrfToken: string };
    return me.csrfToken;
  });
}

describe('the frame before the session check', () => {
  it('draws the header and a skeleton while /v1/auth/me has not answered, not a blank page', async () => {
    const context = await personContext(browser, stack.apiUrl);
    const page = await context.newPage();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/auth/me', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/');
    await expectVisible(page.locator('header.app-header .brand'));
    await expectVisible(page.locator('main[aria-busy="true"] .skeleton-card').first());
    release();
    // Not signed in: once the check answers, sign-in.
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });
});

describe('a new person', () => {
  it('signs up with their zone, tells channels apart, queues a first post after setting times from compose, and approves a contributor’s post from the bell', async () => {
    const context = await personContext(browser, stack.apiUrl, { timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    const signUpBodies: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/auth/sign-up')) signUpBodies.push(request.postData() ?? '');
    });
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Email').fill(`ada-first-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Workspace name').fill('Agency');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/channels$/);
    // The browser's zone went with the sign-up (the workspace's, and so new channels').
    expect(JSON.parse(signUpBodies[0]!)).toEqual(expect.objectContaining({ timezone: 'Europe/Berlin' }));

    // Three channels, connected through the API as the person (the connect flows have their own test).
    const csrf = await asPerson(page);
    const cookies = await context.cookies();
    const cookie = cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
    const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': csrf }, body: { name: 'setup', role: 'admin' } });
    expect(key.status).toBe(201);
    const apiKey = key.body.key as string;
    const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
    const stamp = Date.now().toString(36);
    const [x, mastodon, bluesky] = await Promise.all([
      stack.channel(apiKey, { network: 'x', handle: `agency_x_${stamp}` }),
      stack.channel(apiKey, { network: 'mastodon', handle: `agency_m_${stamp}` }),
      stack.channel(apiKey, { network: 'bluesky', handle: `agency-b-${stamp}` }),
    ]);
    // X without posting times (whatever default connecting gave it); Mastodon posts from New York.
    expect((await api('PATCH', `/v1/channels/${x.id}`, { postingSchedule: { slots: [] } })).status).toBe(200);
    const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
    expect((await api('PATCH', `/v1/channels/${mastodon.id}`, { timezone: 'America/New_York', postingSchedule: { slots: weekdays.map((day) => ({ day, time: '09:00' })) } })).status).toBe(200);

    await page.goto('/channels');
    await expectVisible(page.locator(`.channel-item .channel-badge[data-channel-id="${bluesky.id}"]`));
    expect(await page.locator('.channel-item .channel-avatar').count()).toBe(3);
    expect(await page.locator('.channel-item svg.network-icon').count()).toBe(3);
    await expectVisible(page.getByRole('link', { name: `No posting times yet: set them for X @${x.apiHandle}` }));
    // Bluesky kept the times Herald gave it at connect, and says so.
    await expectVisible(page.locator('.channel-item', { has: page.locator(`[data-channel-id="${bluesky.id}"]`) }).getByText(/\(the default\)$/));
    // Each avatar is Herald's copy, its URL naming the workspace (an <img> sends no X-Herald-Workspace), and it loads.
    const workspaceId = (await api('GET', '/v1/workspace')).body.id as string;
    for (const channel of [x, mastodon, bluesky]) {
      const selector = `.channel-item .channel-badge[data-channel-id="${channel.id}"] .channel-avatar img`;
      await page.waitForFunction((image) => {
        const element = (globalThis as unknown as { document: { querySelector(selector: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector(image);
        return element !== null && element.complete && element.naturalWidth === 128;
      }, selector);
      expect(await page.locator(selector).getAttribute('src')).toBe(`/v1/channels/${channel.id}/avatar?workspace=${workspaceId}`);
    }
    // Handles as the networks write them: Mastodon's carries its own "@", never two.
    await expectVisible(page.getByText(`${mastodon.apiHandle} · Mastodon`));
    expect(await page.locator('main').innerText()).not.toContain('@@');
    await check(page, 'channels-avatars');
    // Bluesky's Posting times tab says its times are the defaults, which the queue already uses.
    await page.goto(`/channels/${bluesky.id}?tab=times`);
    await expectVisible(page.getByText(/^These are the default times Herald gave the channel, so its queue works now/));
    await check(page, 'channel-times-default');

    // Home: the checklist, computed from the API's data.
    await page.goto('/');
    const checklist = page.getByRole('region', { name: 'Get started' });
    await expectVisible(checklist);
    expect(await checklist.locator('li[data-step="connect"]').getAttribute('data-done')).toBe('true');
    expect(await checklist.locator('li[data-step="times"]').getAttribute('data-done')).toBe('true');
    expect(await checklist.locator('li[data-step="post"]').getAttribute('data-done')).toBe('false');
    expect(await checklist.locator('li[data-step="invite"]').getAttribute('data-done')).toBe('false');
    await check(page, 'home-checklist');

    // Compose: channels picked from their avatars, found by search.
    await page.goto('/compose');
    await page.getByRole('checkbox', { name: new RegExp(`^X @${x.apiHandle}`) }).check();
    await page.getByRole('checkbox', { name: new RegExp(`^Mastodon ${mastodon.apiHandle}`) }).check();
    await page.getByLabel('Text', { exact: true }).fill('Our first queued post');
    // X has no posting times: Add to queue is not offered, and X is named with a link to set its times.
    const setTimes = page.getByRole('link', { name: `Set posting times for X @${x.apiHandle}` });
    await expectVisible(setTimes);
    expect(await page.getByRole('button', { name: 'Add to queue' }).isDisabled()).toBe(true);
    await check(page, 'compose-avatars');
    await setTimes.click();
    await page.waitForURL(new RegExp(`/channels/${x.id}\\?tab=times$`));
    await page.getByRole('button', { name: 'Weekdays', exact: true }).click();
    await page.getByLabel('Times', { exact: true }).fill('10:00, 15:00');
    await page.getByRole('button', { name: 'Add 10:00, 15:00 on Weekdays' }).click();
    await page.getByRole('button', { name: 'Save posting times' }).click();
    await expectVisible(page.getByRole('status').getByText(/Saved/));

    await page.goto('/compose');
    await page.getByRole('checkbox', { name: new RegExp(`^X @${x.apiHandle}`) }).check();
    await page.getByRole('checkbox', { name: new RegExp(`^Mastodon ${mastodon.apiHandle}`) }).check();
    await page.getByLabel('Text', { exact: true }).fill('Our first queued post');
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const postId = page.url().split('/').pop()!;
    const post = (await api('GET', `/v1/posts/${postId}`)).body;
    expect(post.deliveries.map((delivery: { status: string }) => delivery.status)).toEqual(['scheduled', 'scheduled']);
    const mastodonAt = DateTime.fromISO(post.deliveries.find((delivery: { channelId: string }) => delivery.channelId === mastodon.id).scheduledAt, { zone: 'America/New_York' });
    expect([mastodonAt.hour, mastodonAt.minute, mastodonAt.weekday <= 5]).toEqual([9, 0, true]);
    await check(page, 'post-queued');

    // Mastodon's page: the queue first, its times said in New York time to a person in Berlin.
    await page.goto(`/channels/${mastodon.id}`);
    await expectVisible(page.getByText('(New York time)'));
    await expectVisible(page.locator('.queue-item').getByText('Our first queued post'));
    await expectVisible(page.locator('.queue-item').getByText(/09:00 New York time/));
    await check(page, 'channel-queue-first');

    // A contributor's post waits: the approver sees the count in the navigation and the bell.
    const invitation = await api('POST', '/v1/invitations', { email: `writer-${stamp}@example.com`, role: 'contributor' });
    expect(invitation.status).toBe(201);
    const joined = await http('POST', `${stack.apiUrl}/v1/invitations/accept`, { body: { token: invitation.body.token, name: 'Writer', password: PASSWORD } });
    expect(joined.status).toBeLessThan(300);
    const writer = await contextWithCookie(joined.headers.get('set-cookie')!);
    const writerPage = await writer.newPage();
    await writerPage.goto('/compose');
    await writerPage.getByRole('checkbox', { name: new RegExp(`^Mastodon ${mastodon.apiHandle}`) }).check();
    await writerPage.getByRole('checkbox', { name: new RegExp(`^Bluesky `) }).check();
    await writerPage.getByLabel('Text', { exact: true }).fill('Client launch next week, photos inside');
    await writerPage.getByRole('radio', { name: /At a date and time/ }).check();
    await writerPage.getByLabel('Date and time', { exact: true }).fill(`${DateTime.now().setZone('Europe/Berlin').plus({ days: 3 }).toISODate()}T11:00`);
    await writerPage.getByRole('button', { name: 'Submit for approval' }).click();
    await writerPage.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const waitingId = writerPage.url().split('/').pop()!;
    // The contributor reads "Would go out", not "Was due", for a future time that waits.
    await expectVisible(writerPage.getByText(/^Would go out/).first());
    await writer.close();

    await page.goto('/');
    await expectVisible(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals (1 waiting)' }));
    const bell = page.getByRole('button', { name: /^Notifications: \d+ waiting$/ });
    await bell.click();
    const popover = page.getByRole('dialog', { name: 'What waits for you' });
    await expectVisible(popover.getByText('“Client launch next week, photos inside” waits for your approval.'));
    await check(page, 'notifications');
    await popover.getByRole('link', { name: 'Review it' }).click();
    await page.waitForURL(/\/approvals#approval-/);
    const card = page.locator(`.approval[data-post-id="${waitingId}"]`);
    // The full preview per network, as compose shows it.
    await expectVisible(card.getByRole('article', { name: new RegExp(`^Preview on Mastodon`) }));
    await expectVisible(card.getByRole('article', { name: /^Preview on Bluesky/ }));
    await check(page, 'approvals-previews');
    await card.getByRole('button', { name: /^Approve/ }).click();
    await expectVisible(page.getByRole('status').getByText(/^Approved “Client launch next week/));
    expect((await api('GET', `/v1/posts/${waitingId}`)).body.status).toBe('scheduled');

    // At phone width: one header row, the navigation in a menu.
    await page.setViewportSize(PHONE);
    await page.goto('/settings/members');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.getByRole('button', { name: /^Menu/ }).click();
    await page.getByRole('menuitem', { name: 'Channels' }).click();
    await page.waitForURL(/\/channels$/);
    const header = (await page.locator('header.app-header').boundingBox())!;
    expect(header.height).toBeLessThan(70);
    await page.goto('/settings/members');
    await check(page, 'members-phone');
    await page.goto('/settings/api-keys');
    await check(page, 'api-keys-phone');

    // The workspace's zone, from sign-up, changed by its owner for the channels connected next.
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto('/settings/workspace');
    const zone = page.getByLabel('Workspace time zone');
    expect(await zone.inputValue()).toBe('Europe/Berlin');
    await zone.selectOption('America/New_York');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await expectVisible(page.getByRole('status').getByText(/^Saved/));
    expect((await api('GET', '/v1/workspace')).body.timezone).toBe('America/New_York');
    await check(page, 'workspace-settings');
    await context.close();
  });
});

async function contextWithCookie(setCookie: string): Promise<BrowserContext> {
  const [name, value] = setCookie.split(';')[0]!.split('=') as [string, string];
  const context = await personContext(browser, stack.apiUrl);
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  return context;
}
