/**
 * The web app as a person uses it: served by the built API at `/`, driven in
 * a real Chromium against the real API, worker and mock networks. Every page
 * is checked by axe (no serious or critical violation) and photographed at
 * desktop and phone width into test/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchChromium, personContext } from './support/browser';
import { http } from './support/http';
import { Stack } from './support/stack';

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

/** axe on the page as it is (no serious or critical violation, at desktop and phone width, light and dark), and its screenshots. */
async function check(page: Page, name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

let people = 0;

/** A person signed up through the API, with a browser context carrying their session. */
async function signedInPerson(): Promise<{ context: BrowserContext; page: Page; email: string; csrfToken: string; cookie: string; workspaceId: string }> {
  people += 1;
  const email = `person${people}-${Date.now()}@example.com`;
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: PASSWORD, name: `Person ${people}` } });
  if (answer.status !== 201) throw new Error(`sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const context = await personContext(browser, stack.apiUrl);
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  return { context, page: await context.newPage(), email, csrfToken: answer.body.csrfToken, cookie, workspaceId: answer.body.memberships[0].workspaceId };
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

async function expectVisible(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function expectCount(locator: ReturnType<Page['locator']>, count: number): Promise<void> {
  await locator.nth(count - 1).waitFor({ state: 'visible' });
  expect(await locator.count()).toBe(count);
}
