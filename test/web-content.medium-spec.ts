/**
 * The content pages in a real Chromium against the in-process API (the built
 * web app served by serveBuiltWebApp; PRODUCT.md section 13): the navigation
 * with its Settings and Content menus used from the keyboard (and one menu at
 * phone width); a post tagged from compose's tag picker and the calendar
 * narrowed by tag; a channel's evergreen queue turned on; a weekly
 * evergreen series made from compose's "Repeat" in the channel's zone and shown, paused and resumed on the Series page; a feed
 * served on loopback followed, read and listed (a bad address refused in the
 * server's words, a failing feed showing its error); a CSV import whose dry
 * run names the row too long for X by row and line, then commits the good
 * rows; a channel's links settings (UTM with a campaign; shortening refused
 * without a shortener) saved on its settings tab; a series' posts listed
 * from its card, and the series edited in place; a followed feed edited in place. Every page checked by axe and for sideways scroll at 1400 and 375 px,
 * and photographed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PHONE, checkPage, launchChromium, personContext, serveBuiltWebApp } from './support/browser';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

// Each page is checked by axe and photographed at two widths in two schemes (several seconds a page on a busy machine).
jest.setTimeout(180_000);

let stack: InProcessStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let apiKey: string;
let feedServer: Server;
let feedOrigin: string;
let x: { id: string; apiHandle: string };
let mastodon: { id: string; apiHandle: string };
const stamp = Date.now().toString(36);

const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Blog</title>${[3, 2, 1]
  .map((n) => `<item><guid isPermaLink="false">${stamp}-${n}</guid><title>Blog ${stamp} post ${n}</title><link>https://blog.example.com/${n}</link></item>`)
  .join('')}</channel></rss>`;

beforeAll(async () => {
  feedServer = createServer((request, response) => {
    if (request.url === '/feed.xml') response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    else response.writeHead(500).end('the blog is down');
  });
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  feedOrigin = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  [stack, browser] = await Promise.all([InProcessStack.start({ env: { AUTH_OPEN_SIGNUP: 'true', HERALD_URL_ALLOWLIST: '127.0.0.1' } }), launchChromium()]);
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `content-${stamp}@example.com`, password: 'a long enough password', name: 'Cora', timezone: 'Europe/Berlin' } });
  expect(answer.status).toBe(201);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'setup', role: 'admin' } });
  expect(key.status).toBe(201);
  apiKey = key.body.key as string;
  [x, mastodon] = await Promise.all([
    stack.channel(apiKey, { network: 'x', handle: `cora_x_${stamp}` }),
    stack.channel(apiKey, { network: 'mastodon', handle: `cora_m_${stamp}`, timezone: 'America/New_York' }),
  ]);
  context = await personContext(browser, stack.apiUrl, { timezoneId: 'Europe/Berlin' });
  await serveBuiltWebApp(context, stack.apiUrl);
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
  await new Promise((resolve) => feedServer?.close(resolve));
});

const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });

async function check(name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits until the menu item named `name` has the keyboard focus (Radix moves it a frame after the menu opens). */
async function focused(name: string): Promise<void> {
  await page.locator('[role="menuitem"]:focus', { hasText: name }).waitFor();
}

async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

describe('the content pages', () => {
  it('keep the daily pages in sight and fold settings and content into menus used from the keyboard; one menu at phone width', async () => {
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Posts', 'Compose', 'Calendar', 'Approvals', 'Analytics', 'Channels']) await visible(nav.getByRole('link', { name: label, exact: true }));
    // Settings-like pages are not links in the bar any more: they wait behind "Settings".
    expect(await nav.getByRole('link', { name: 'Members' }).count()).toBe(0);
    // Found by its class: while a Radix menu is open, the rest of the page is aria-hidden (out of the role tree).
    const settings = page.locator('.main-nav .nav-menu-button', { hasText: 'Settings' });
    expect(await settings.getAttribute('aria-expanded')).toBe('false');
    expect(await settings.getAttribute('aria-haspopup')).toBe('menu');
    await settings.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await visible(menu);
    expect(await settings.getAttribute('aria-expanded')).toBe('true');
    expect((await menu.getByRole('menuitem').allInnerTexts()).map((text) => text.trim())).toEqual(['Workspace', 'Members', 'API keys', 'Webhooks', 'Audit log']);
    await check('nav-settings-open');
    // Escape closes it and gives the focus back to its button.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await settings.getAttribute('aria-expanded')).toBe('false');
    expect(await settings.evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    // Open again from the keyboard: the first item takes the focus, the arrow keys move it, Enter follows the link.
    await page.keyboard.press('Enter');
    await focused('Workspace');
    await page.keyboard.press('ArrowDown');
    await focused('Members');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/members$/);
    await visible(page.getByRole('heading', { name: 'Members', level: 1 }));
    // The same with Content: Feeds.
    const content = page.locator('.main-nav .nav-menu-button', { hasText: 'Content' });
    await content.focus();
    await page.keyboard.press('ArrowDown');
    await focused('Recurring series');
    await page.keyboard.press('ArrowDown');
    await focused('Feeds');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/feeds$/);

    // At phone width: no bar, one menu with every group.
    await page.setViewportSize(PHONE);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.getByRole('button', { name: /^Menu/ }).click();
    for (const label of ['Calendar', 'Recurring series', 'Import CSV', 'Members', 'Audit log']) await visible(page.getByRole('menuitem', { name: label }));
    await page.getByRole('menuitem', { name: 'Import CSV' }).click();
    await page.waitForURL(/\/import$/);
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('tags a post from compose, shows its tag on the posts list and narrows the calendar to it', async () => {
    const tomorrow = DateTime.now().setZone('Europe/Berlin').plus({ days: 1 }).startOf('day');
    // Another post the same day, under another tag: the calendar shows both until narrowed.
    const other = await api('POST', '/v1/posts', { text: `Other ${stamp}`, channelIds: [x.id], tags: ['hiring'], schedule: { mode: 'at', localTime: tomorrow.set({ hour: 11 }).toFormat("yyyy-MM-dd'T'HH:mm"), timezone: 'Europe/Berlin' } });
    expect(other.status).toBe(201);
    await page.goto('/compose');
    await page.getByRole('checkbox', { name: new RegExp(`^X @${x.apiHandle}`) }).check();
    await page.getByLabel('Text', { exact: true }).fill(`Launch ${stamp}`);
    // A tag name the API refuses is said in its words, then a good one is made and picked.
    const newTag = page.getByLabel('New tag');
    await newTag.fill('!!');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await visible(page.locator('.tag-picker .field-errors').getByText(/letters, digits, spaces/));
    await newTag.fill('Launch Week');
    await newTag.press('Enter');
    await visible(page.getByRole('button', { name: 'launch week', pressed: true }));
    // "hiring" is there too (used on a post), not picked.
    await visible(page.getByRole('button', { name: 'hiring', pressed: false }));
    await page.getByText('At a date and time').click();
    await page.getByLabel('Date and time', { exact: true }).fill(tomorrow.set({ hour: 9 }).toFormat("yyyy-MM-dd'T'HH:mm"));
    await check('compose-tags');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const postId = page.url().split('/').pop()!;
    expect((await api('GET', `/v1/posts/${postId}`)).body.tags).toEqual(['launch week']);

    // The posts list: its tag shown; filtered by tag, only it.
    await page.goto('/');
    const launchItem = page.locator('.post-item').filter({ hasText: `Launch ${stamp}` });
    await visible(launchItem.getByRole('list', { name: 'Tags' }).getByText('launch week'));
    await page.getByLabel('Tag', { exact: true }).selectOption('launch week');
    await page.waitForURL(/tag=launch/);
    await page.locator('.post-item').filter({ hasText: `Other ${stamp}` }).waitFor({ state: 'detached' });
    await visible(launchItem);
    await check('posts-by-tag');

    // The calendar's week: both posts, then only the tagged one.
    await page.goto(`/calendar?view=week&date=${tomorrow.toISODate()}`);
    const chips = page.locator('.cal-chip');
    await visible(chips.filter({ hasText: `Other ${stamp}` }));
    await visible(chips.filter({ hasText: `Launch ${stamp}` }));
    expect(await chips.count()).toBe(2);
    await page.getByLabel('Tag', { exact: true }).selectOption('launch week');
    await page.waitForURL(/tag=launch/);
    await chips.filter({ hasText: `Other ${stamp}` }).waitFor({ state: 'detached' });
    expect(await chips.count()).toBe(1);
    await visible(chips.filter({ hasText: `Launch ${stamp}` }).getByText('launch week'));
    await check('calendar-by-tag');
  });

  it('tracks a post’s links with UTM from compose, and says in the server’s words that this Herald has no shortener', async () => {
    await page.goto('/compose');
    await page.getByRole('checkbox', { name: new RegExp(`^Mastodon ${mastodon.apiHandle}`) }).check();
    // The links options come with a link.
    await page.getByLabel('Text', { exact: true }).fill(`Read ${stamp}`);
    expect(await page.getByRole('group', { name: 'Links' }).count()).toBe(0);
    await page.getByLabel('Text', { exact: true }).fill(`Read ${stamp} at https://blog.example.com/launch`);
    const links = page.getByRole('group', { name: 'Links' });
    await links.getByRole('checkbox', { name: /Track links/ }).check();
    await links.getByLabel('Campaign (utm_campaign, optional)').fill('launch');
    await links.getByRole('checkbox', { name: /Shorten links/ }).check();
    await page.getByText('Save as draft').click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await visible(links.locator('.field-errors').getByText('no link shortener is configured'));
    await check('compose-links');
    await links.getByRole('checkbox', { name: /Shorten links/ }).uncheck();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const saved = await api('GET', `/v1/posts/${page.url().split('/').pop()}`);
    expect(saved.body.variants[mastodon.id]).toBe(`Read ${stamp} at https://blog.example.com/launch?utm_source=mastodon&utm_medium=social&utm_campaign=launch`);
  });

  it('makes a weekly evergreen series from compose in the channel’s zone, lists it with its next times, pauses and resumes it', async () => {
    // The channel recycles evergreen posts, set on its settings tab.
    await page.goto(`/channels/${mastodon.id}?tab=settings`);
    await page.getByLabel('Recycle evergreen posts').check();
    await page.getByLabel('At least this many days between repeats').fill('30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('Saved: evergreen posts come back after 30 days or more.'));
    expect((await api('GET', `/v1/channels/${mastodon.id}`)).body.evergreenMinRepeatDays).toBe(30);
    await check('channel-evergreen');

    await page.goto('/compose');
    await page.getByRole('checkbox', { name: new RegExp(`^Mastodon ${escaped(mastodon.apiHandle)}`) }).check();
    const text = `Tip of the week ${stamp}: schedule once, post every Monday and Thursday.`;
    await page.getByLabel('Text', { exact: true }).fill(text);
    await page.getByLabel('Evergreen').check();
    await visible(page.getByText(/comes back at the end of the queue on Mastodon .* \(after 30 days or more\)/));
    await page.getByText('Repeat', { exact: true }).click();
    // The channel's zone, named, not the person's.
    const zone = page.getByLabel('Time zone', { exact: true });
    expect(await zone.inputValue()).toBe('America/New_York');
    await visible(page.getByText(/New York: the time zone of Mastodon/));
    expect(await page.getByLabel('Repeats', { exact: true }).inputValue()).toBe('weekly');
    // Exactly Monday and Thursday, whatever today is.
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) await page.getByRole('checkbox', { name: day, exact: true }).setChecked(day === 'Monday' || day === 'Thursday');
    await page.getByLabel('At', { exact: true }).fill('09:00');
    await page.getByText('After a number of times').click();
    await page.getByLabel('Times in all').fill('6');
    // The API reads the rule back: in words, and the next times in New York (and Berlin).
    const reading = page.locator('.repeat-reading');
    await visible(reading.getByText(/Monday.*Thursday/));
    const nextTimes = reading.locator('.repeat-next li');
    await visible(nextTimes.first());
    expect(await nextTimes.count()).toBe(5);
    expect(await nextTimes.first().innerText()).toMatch(/09:00 · 15:00 your time/);
    await check('compose-repeat');
    await page.getByRole('button', { name: 'Create series' }).click();
    await page.waitForURL(/\/series\?created=/);

    const series = (await api('GET', '/v1/series')).body.data as { id: string; text: string; rule: string; timezone: string; count: number; status: string }[];
    const made = series.find((entry) => entry.text === text)!;
    expect(made).toEqual(expect.objectContaining({ rule: 'FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0', timezone: 'America/New_York', count: 6, status: 'active', evergreen: true }));
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: text }) });
    await visible(card.locator('.series-rule').getByText(/Monday.*Thursday/));
    await visible(card.getByText('New York time', { exact: false }));
    await visible(card.getByText('Series created.', { exact: false }));
    await visible(card.getByText('Evergreen', { exact: true }));
    expect(await card.locator('.series-next li').count()).toBe(3);
    await check('series');
    await card.getByRole('button', { name: /^Pause/ }).click();
    await visible(card.getByText('Paused', { exact: true }));
    expect((await api('GET', `/v1/series/${made.id}`)).body.status).toBe('paused');
    await card.getByRole('button', { name: /^Resume/ }).click();
    await visible(card.getByText('Active', { exact: true }));
    expect((await api('GET', `/v1/series/${made.id}`)).body.status).toBe('active');
  });

  it('follows a feed on loopback to a channel, reads it and lists it; refuses a bad address in the server’s words; shows a failing feed’s error', async () => {
    await page.goto('/feeds');
    await visible(page.getByText('No feeds yet.', { exact: false }));
    const address = page.getByLabel('Feed address');
    // Not an address: the API's message at the field.
    await address.fill('not a feed');
    await page.getByRole('checkbox', { name: new RegExp(`^X @${x.apiHandle}`) }).check();
    await page.getByRole('button', { name: 'Follow feed' }).click();
    await visible(page.getByRole('alert'));
    expect(await address.getAttribute('aria-invalid')).toBe('true');

    await address.fill(`${feedOrigin}/feed.xml`);
    await page.getByText('Save as drafts').click();
    await page.getByRole('button', { name: 'Follow feed' }).click();
    const card = page.locator('.feed-card').filter({ hasText: '/feed.xml' });
    await visible(card);
    await visible(card.getByText('Active', { exact: true }));
    await card.getByRole('button', { name: /^Read now/ }).click();
    await visible(card.getByText(/3 new items, 3 posts made\.|nothing new/i));
    await visible(card.getByText(/Save as drafts/));
    // The three items made three drafts to X, once each (read by the click, or by the worker first).
    await waitFor("three drafts from the feed", async () => ((await api('GET', '/v1/posts?status=draft&limit=100')).body.data as { text: string }[]).filter((post) => post.text.startsWith(`Blog ${stamp}`)).length === 3);
    expect(await card.locator('dd').filter({ hasText: 'Not yet' }).count()).toBe(0);

    // A feed whose server fails: its error shown on its card.
    await address.fill(`${feedOrigin}/down.xml`);
    await page.getByRole('button', { name: 'Follow feed' }).click();
    const down = page.locator('.feed-card').filter({ hasText: '/down.xml' });
    await visible(down);
    await down.getByRole('button', { name: /^Read now/ }).click();
    await visible(down.getByText(/The last read failed \(\d+ in a row\)|Stopped after/));
    await visible(down.locator('.alert').getByText(/500/));
    await check('feeds');
    await down.getByRole('button', { name: /^Pause/ }).click();
    await visible(down.getByText('Paused', { exact: true }));
  });

  it('checks a CSV file row by row, names the row too long for X by row and line, and imports the good rows', async () => {
    await page.goto('/import');
    const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const tag = `csv ${stamp}`;
    const csv = [
      'text,channels,at',
      `"${tag} one, with a comma",${x.id},${inHours(30)}`,
      `${tag} two,${mastodon.apiHandle},${inHours(31)}`,
      `"${tag} three ""quoted""",${mastodon.apiHandle},`,
      `${tag} four ${'x'.repeat(300)},${x.id},${inHours(32)}`,
    ].join('\r\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'month.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await visible(page.getByRole('heading', { name: 'Checked: nothing is imported yet' }));
    const summary = page.locator('.import-summary');
    expect(await summary.locator('.import-fact').allInnerTexts()).toEqual(['Ready\n3', 'Refused\n1', 'Imported before\n0', 'Rows\n4']);
    const refused = page.locator('tr[data-row="4"]');
    await visible(refused.getByText('Refused', { exact: true }));
    expect(await refused.locator('td').first().innerText()).toMatch(/Row 4\s+line 5/);
    // The server's words, the channel by its name, not its id.
    const problem = await refused.locator('.import-problems').innerText();
    expect(problem).toMatch(/280/);
    expect(problem).not.toContain(x.id);
    // A refused row's channels by their names too, never their ids.
    expect(await refused.locator('td[data-label="Channels and time"]').innerText()).not.toContain(x.id);
    await visible(page.locator('tr[data-row="3"]').getByText(`${tag} three "quoted"`));
    // Refused rows come first.
    expect(await page.locator('tbody tr').first().getAttribute('data-row')).toBe('4');
    await check('import-dry-run');
    const countMade = async () => ((await api('GET', '/v1/posts?limit=100')).body.data as { text: string }[]).filter((post) => post.text.startsWith(tag)).length;
    expect(await countMade()).toBe(0);

    await page.getByRole('button', { name: 'Import 3 posts' }).click();
    await visible(page.getByRole('heading', { name: 'Imported', exact: true }));
    await visible(page.getByText('3 posts made.'));
    expect(await countMade()).toBe(3);
    await check('import-done');
  });

  it('sets a channel’s links on its settings tab: tracked with a campaign for every post that does not say otherwise; shortening refused in the server’s words without a shortener', async () => {
    await page.goto(`/channels/${x.id}?tab=settings`);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Links', exact: true }) });
    await form.getByRole('checkbox', { name: /Track links in posts to this channel/ }).check();
    await form.getByLabel('Campaign (utm_campaign, optional)').fill('always-on');
    await form.getByRole('checkbox', { name: /Shorten links in posts to this channel/ }).check();
    await form.getByRole('button', { name: 'Save links' }).click();
    await visible(form.locator('.field-errors').getByText('no link shortener is configured'));
    expect((await api('GET', `/v1/channels/${x.id}`)).body.links).toEqual({});
    await check('channel-links-refused');
    await form.getByRole('checkbox', { name: /Shorten links in posts to this channel/ }).uncheck();
    await form.getByRole('button', { name: 'Save links' }).click();
    await visible(form.getByText('Saved: links in posts to this channel are tracked.'));
    expect((await api('GET', `/v1/channels/${x.id}`)).body.links).toEqual({ utm: { campaign: 'always-on' } });
    // A post that says nothing of links gets the channel's.
    const made = await api('POST', '/v1/posts', { text: `Links ${stamp} https://blog.example.com/always`, channelIds: [x.id], schedule: { mode: 'draft' } });
    expect(made.body.variants[x.id]).toBe(`Links ${stamp} https://blog.example.com/always?utm_source=x&utm_medium=social&utm_campaign=always-on`);
    // Opened again, the form shows what is saved; turned off, nothing is kept.
    await page.reload();
    await visible(form.getByLabel('Campaign (utm_campaign, optional)'));
    expect(await form.getByLabel('Campaign (utm_campaign, optional)').inputValue()).toBe('always-on');
    await form.getByRole('checkbox', { name: /Track links in posts to this channel/ }).uncheck();
    await form.getByRole('button', { name: 'Save links' }).click();
    await visible(form.getByText('Saved: posts to this channel keep their links as written.'));
    expect((await api('GET', `/v1/channels/${x.id}`)).body.links).toEqual({});
  });

  it('lists the posts of one series from its card, and only those', async () => {
    const text = `Daily ${stamp} from the series`;
    const made = await api('POST', '/v1/series', { text, channelIds: [mastodon.id], rule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0', timezone: 'Europe/Berlin', count: 3 });
    expect(made.status).toBe(201);
    const occurrences = await waitFor('the worker to make the series’ three posts', async () => {
      const listed = (await api('GET', `/v1/posts?seriesId=${made.body.id}&limit=100`)).body.data as { id: string; text: string }[];
      return listed.length === 3 ? listed : undefined;
    });
    await page.goto('/series');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: text }) });
    await card.getByRole('link', { name: /^Its posts/ }).click();
    await page.waitForURL(new RegExp(`[?&]series=${made.body.id}`));
    await visible(page.getByText('The posts of one recurring series', { exact: false }));
    const items = page.locator('.post-list > li');
    await waitFor('the three posts to be listed', async () => ((await items.count()) === 3 ? true : undefined));
    expect(await items.locator('.post-item-text').allInnerTexts()).toEqual(occurrences.map(() => text));
    await check('posts-of-series');
    // Narrowed further by status, the series is kept; "Show every post" drops it.
    await page.getByLabel('Show').selectOption('cancelled');
    await page.waitForURL(/status=cancelled/);
    expect(page.url()).toContain(`series=${made.body.id}`);
    await visible(page.getByText('No posts of this series with these filters yet', { exact: false }));
    await page.getByRole('link', { name: 'Show every post' }).click();
    await page.waitForURL((url) => !url.searchParams.has('series'));
    expect(new URL(page.url()).searchParams.get('status')).toBe('cancelled');
  });

  it('edits a followed feed in place: its channels, mode, template and interval; an empty template refused at the field', async () => {
    await page.goto('/feeds');
    const card = page.locator('.feed-card').filter({ hasText: '/feed.xml' });
    await visible(card);
    const feedId = ((await api('GET', '/v1/feeds')).body.data as { id: string; url: string }[]).find((feed) => feed.url.endsWith('/feed.xml'))!.id;
    await card.getByRole('button', { name: /^Edit/ }).click();
    const form = card.getByRole('form', { name: 'Edit this feed' });
    await visible(form);
    await form.getByRole('checkbox', { name: new RegExp(`^Mastodon ${escaped(mastodon.apiHandle)}`) }).check();
    await form.getByText('Add to queue').click();
    const template = form.getByLabel('Post text');
    await template.fill('');
    await form.getByRole('button', { name: 'Save feed' }).click();
    await visible(form.locator('.field-errors'));
    expect(await template.getAttribute('aria-invalid')).toBe('true');
    expect((await api('GET', `/v1/feeds/${feedId}`)).body.template).toBe('{{title}} {{link}}');
    await check('feed-edit-refused');
    await template.fill('New: {{title}} {{link}}');
    await form.getByLabel('Read it').selectOption({ label: 'Once a day' });
    await form.getByRole('button', { name: 'Save feed' }).click();
    await visible(card.getByText('Saved: new items follow the changes.'));
    expect(await form.count()).toBe(0);
    const saved = (await api('GET', `/v1/feeds/${feedId}`)).body as { channelIds: string[]; mode: string; template: string; intervalMinutes: number };
    expect(saved).toEqual(expect.objectContaining({ mode: 'queue', template: 'New: {{title}} {{link}}', intervalMinutes: 1440 }));
    expect([...saved.channelIds].sort()).toEqual([x.id, mastodon.id].sort());
    await visible(card.getByText('New: {{title}} {{link}}'));
    await visible(card.getByText('once a day', { exact: false }));
  });

  it('edits a series in place from its card: its next posts made again with the new text; a text too long for Mastodon refused', async () => {
    const text = `Daily ${stamp} from the series`;
    const series = ((await api('GET', '/v1/series')).body.data as { id: string; text: string }[]).find((entry) => entry.text === text)!;
    await page.goto('/series');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: text }) });
    await card.getByRole('button', { name: /^Edit/ }).click();
    const form = card.getByRole('form', { name: 'Edit this series' });
    const field = form.getByLabel('Text');
    expect(await field.inputValue()).toBe(text);
    await field.fill(`${text} ${'long '.repeat(120)}`);
    await form.getByRole('button', { name: 'Save series' }).click();
    await visible(form.locator('.field-errors, .alert').first());
    expect((await api('GET', `/v1/series/${series.id}`)).body.text).toBe(text);
    await check('series-edit-refused');
    const edited = `Daily ${stamp} edited`;
    await field.fill(edited);
    await form.getByRole('button', { name: 'Save series' }).click();
    const editedCard = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: edited }) });
    await visible(editedCard.getByText('Saved: its next posts follow the change.'));
    expect((await api('GET', `/v1/series/${series.id}`)).body.text).toBe(edited);
    await waitFor('the series’ coming posts made again with the new text', async () => {
      const posts = (await api('GET', `/v1/posts?seriesId=${series.id}&limit=100`)).body.data as { text: string; status: string }[];
      const coming = posts.filter((post) => post.status === 'scheduled');
      return coming.length === 3 && coming.every((post) => post.text === edited) ? true : undefined;
    });
  });
});
