/**
 * Connecting YouTube, TikTok, Pinterest and Google Business Profile from the
 * web app in a real Chromium against the in-process API and the mock networks
 * (PRODUCT.md section 14; the built web app served by serveBuiltWebApp): as a
 * signed-in person, each network picked on Channels, "Continue to …" followed
 * through the network's consent (the mock's: given at once, as a new account)
 * and back through Herald's callback; Google Business Profile asks which
 * location to connect and the second one is picked. Each lands on its
 * "is connected" page and is listed on Channels with its network's name and
 * handle, and the API lists it under the right network. The connect form, the
 * location choice, a connected page and the channels list checked by axe and
 * for sideways scroll at 1400 and 375 px, and photographed.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { checkPage, launchChromium, personContext, serveBuiltWebApp } from './support/browser';
import { http } from './support/http';
import { InProcessStack } from './support/in-process';

// Each checked page is run through axe and photographed at two widths in two schemes (several seconds a page on a busy machine).
jest.setTimeout(120_000);

let stack: InProcessStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let apiKey: string;
const stamp = Date.now().toString(36);

interface ChannelSeen {
  id: string;
  network: string;
  handle: string;
  displayName?: string;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([InProcessStack.start({ env: { AUTH_OPEN_SIGNUP: 'true' } }), launchChromium()]);
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `connect-${stamp}@example.com`, password: 'a long enough password', name: 'Nia', timezone: 'Europe/Berlin' } });
  expect(answer.status).toBe(201);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'check', role: 'admin' } });
  expect(key.status).toBe(201);
  apiKey = key.body.key as string;
  context = await personContext(browser, stack.apiUrl, { timezoneId: 'Europe/Berlin' });
  await serveBuiltWebApp(context, stack.apiUrl);
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

async function check(name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function channels(): Promise<ChannelSeen[]> {
  const listed = await http('GET', `${stack.apiUrl}/v1/channels`, { token: apiKey });
  expect(listed.status).toBe(200);
  return listed.body.data as ChannelSeen[];
}

/** Picks `displayName` on Channels and follows its OAuth consent back to Herald: the URL it lands on. */
async function startConnecting(displayName: string, photograph?: string): Promise<URL> {
  await page.goto('/channels');
  await visible(page.getByRole('heading', { name: 'Channels', level: 1 }));
  const picker = page.getByRole('group', { name: 'Network' });
  await picker.getByRole('button', { name: displayName, exact: true }).click();
  expect(await picker.getByRole('button', { name: displayName, exact: true }).getAttribute('aria-pressed')).toBe('true');
  const go = page.getByRole('button', { name: `Continue to ${displayName}` });
  await visible(go);
  await visible(page.getByText(`${displayName} asks you to sign in and allow Herald to post for you`));
  if (photograph) await check(photograph);
  await go.click();
  // The mock network consents at once and sends the browser back through Herald's callback.
  await page.waitForURL(/\/channels\/connected\?/);
  return new URL(page.url());
}

/** The "is connected" page for the channel, then Channels listing it with its network's name and handle. */
async function landsConnected(channel: ChannelSeen, displayName: string, photograph?: string): Promise<void> {
  const shown = ['x', 'threads', 'instagram'].includes(channel.network) ? `@${channel.handle}` : channel.handle;
  await visible(page.getByRole('heading', { name: `${displayName} ${shown} is connected`, level: 1 }));
  if (photograph) await check(photograph);
  await page.getByRole('link', { name: 'Back to channels' }).click();
  await page.waitForURL(/\/channels$/);
  const item = page.locator('.channel-item').filter({ has: page.locator(`[data-channel-id="${channel.id}"]`) });
  await visible(item);
  const badge = (await item.locator('.channel-badge').innerText()).replace(/\s+/g, ' ');
  expect(badge).toContain(displayName);
  expect(badge).toContain(shown);
  await visible(item.getByText('active', { exact: true }));
}

describe('connecting the section 14 networks from the web app', () => {
  it('connects YouTube through Google’s consent and lists it', async () => {
    const before = new Set((await channels()).map((channel) => channel.id));
    const landed = await startConnecting('YouTube', 'connect-youtube');
    const channelId = landed.searchParams.get('channelId');
    expect(channelId).toBeTruthy();
    const made = (await channels()).find((channel) => channel.id === channelId)!;
    expect(before.has(made.id)).toBe(false);
    expect(made.network).toBe('youtube');
    await landsConnected(made, 'YouTube', 'connected-youtube');
  });

  it('connects TikTok through its consent and lists it', async () => {
    const landed = await startConnecting('TikTok');
    const made = (await channels()).find((channel) => channel.id === landed.searchParams.get('channelId'))!;
    expect(made.network).toBe('tiktok');
    await landsConnected(made, 'TikTok');
  });

  it('connects Pinterest through its consent (its first board kept) and lists it', async () => {
    const landed = await startConnecting('Pinterest');
    const made = (await channels()).find((channel) => channel.id === landed.searchParams.get('channelId'))!;
    expect(made.network).toBe('pinterest');
    await landsConnected(made, 'Pinterest');
  });

  it('connects Google Business Profile through Google’s consent, the location picked among those offered, and lists it', async () => {
    const landed = await startConnecting('Google Business Profile');
    const state = landed.searchParams.get('pending');
    expect(state).toBeTruthy();
    await visible(page.getByRole('heading', { name: 'Choose which one to connect', level: 1 }));
    // The mock's business account has two locations, each a card with its name and its button; the second is picked.
    const choices = page.getByRole('list', { name: 'Places to connect' }).getByRole('button', { name: /^Connect / });
    await visible(choices.nth(1));
    const offered = (await page.locator('.choice .choice-name').allInnerTexts()).map((text) => text.trim());
    expect(offered).toHaveLength(2);
    expect(await choices.nth(1).getAttribute('disabled')).toBeNull();
    expect(await page.getByRole('button', { name: `Connect ${offered[1]}` }).count()).toBe(1);
    await check('connect-google-business-location');
    await choices.nth(1).click();
    await visible(page.getByRole('heading', { name: /is connected$/, level: 1 }));
    const made = (await channels()).find((channel) => channel.network === 'google_business')!;
    expect(made).toMatchObject({ network: 'google_business', handle: offered[1] });
    await landsConnected(made, 'Google Business Profile');

    // All four listed, each under its network, by the API and on the page.
    const listed = await channels();
    expect(listed.map((channel) => channel.network).sort()).toEqual(['google_business', 'pinterest', 'tiktok', 'youtube']);
    await page.reload();
    for (const channel of listed) await visible(page.locator(`.channel-item [data-channel-id="${channel.id}"]`));
    await check('channels-section-14');
  });
});
