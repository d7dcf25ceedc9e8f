/**
 * The Analytics page in a real Chromium against the in-process API, worker
 * and mock (the built web app served by serveBuiltWebApp; PRODUCT.md section
 * 11, docs/analytics.md): four posts published to X and Mastodon through the
 * mock, their figures set on the mock in each network's own names, read by
 * the worker's snapshots, then moved back to days and hours of their own.
 * The page shows the totals, the chart over time (a bar per day), the posts
 * with the figures the mock was given, and on one channel the best-times
 * heat map whose slots become the channel's posting schedule ("use these as
 * my posting schedule", checked through the API); a post's page shows its
 * metrics, and "Read the figures now" adds a reading with the mock's new
 * likes. X's followers, set on the mock and read by the worker every 3 s
 * (the first readings moved two days back), show with their change. Every page checked by axe and for sideways scroll at 1400 and 375 px,
 * and photographed.
 */
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DESKTOP, PHONE, checkPage, launchChromium, personContext, serveBuiltWebApp } from './support/browser';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

jest.setTimeout(120_000);

const ZONE = 'Europe/Berlin';
const stamp = Date.now().toString(36);

let stack: InProcessStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let apiKey: string;
let x: { id: string; apiHandle: string };
let mastodon: { id: string; apiHandle: string };

/** What each post earned, in its network's own names (every figure set, so none grows along the mock's curve), and when it was published (days back, hour in Berlin). */
const POSTS = [
  { key: 'launch', network: 'x', daysAgo: 2, hour: 9, mock: { impression_count: 5000, like_count: 120, retweet_count: 30, reply_count: 10, quote_count: 0, bookmark_count: 0, url_link_clicks: 0, user_profile_clicks: 0 }, engagements: 160 },
  { key: 'recap', network: 'x', daysAgo: 3, hour: 13, mock: { impression_count: 2000, like_count: 40, retweet_count: 5, reply_count: 3, quote_count: 2, bookmark_count: 0, url_link_clicks: 0, user_profile_clicks: 0 }, engagements: 50 },
  { key: 'quiet', network: 'x', daysAgo: 4, hour: 18, mock: { impression_count: 800, like_count: 9, retweet_count: 1, reply_count: 0, quote_count: 0, bookmark_count: 0, url_link_clicks: 0, user_profile_clicks: 0 }, engagements: 10 },
  { key: 'toot', network: 'mastodon', daysAgo: 1, hour: 10, mock: { favourites_count: 25, reblogs_count: 4, replies_count: 6, quotes_count: 0 }, engagements: 35 },
] as const;
const postIds: Record<string, string> = {};

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    // Snapshots an hour after publishing: the test says when they are taken; the worker looks every 200 ms.
    // Account figures every 3 s (the first 3 s after a channel is added).
    InProcessStack.start({ env: { AUTH_OPEN_SIGNUP: 'true', ANALYTICS_SNAPSHOTS: '1h', ANALYTICS_TICK: '200ms', ANALYTICS_ACCOUNT_INTERVAL: '3000', NETWORK_QUOTAS: 'x=off' } }),
    launchChromium(),
  ]);
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `analytics-${stamp}@example.com`, password: 'a long enough password', name: 'Ana', timezone: ZONE } });
  expect(answer.status).toBe(201);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'setup', role: 'admin' } });
  expect(key.status).toBe(201);
  apiKey = key.body.key as string;
  // X's followers as the mock gives them before the channel is added (its first daily reading comes at once).
  expect((await mock('PUT', '/_mock/account-metrics', { network: 'x', handle: `ana_x_${stamp}`, metrics: { followers_count: 900, following_count: 75, tweet_count: 12, listed_count: 2 } })).status).toBe(200);
  [x, mastodon] = await Promise.all([
    stack.channel(apiKey, { network: 'x', handle: `ana_x_${stamp}`, timezone: ZONE }),
    stack.channel(apiKey, { network: 'mastodon', handle: `ana_m_${stamp}`, timezone: ZONE }),
  ]);
  await publishAndMeasure();
  await followersReadTwice();
  context = await personContext(browser, stack.apiUrl, { timezoneId: ZONE });
  await serveBuiltWebApp(context, stack.apiUrl);
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  page = await context.newPage();
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
const mock = (method: string, path: string, body?: unknown) => http(method, `${stack.mockUrl}${path}`, { body });

/** When a post was published, as the test moves it: `daysAgo` days back at `hour` in Berlin. */
const publishedAt = (post: (typeof POSTS)[number]) => DateTime.now().setZone(ZONE).minus({ days: post.daysAgo }).set({ hour: post.hour, minute: 5, second: 0, millisecond: 0 });

/**
 * Publishes each post through the mock, sets its figures there, has the worker read them (the schedule made due now),
 * then moves each delivery's publishing time back to its own day and hour (what the aggregates group by).
 */
async function publishAndMeasure(): Promise<void> {
  for (const post of POSTS) {
    const created = await api('POST', '/v1/posts', { text: `${post.key} ${stamp}: what we shipped this week`, channelIds: [post.network === 'x' ? x.id : mastodon.id], schedule: { mode: 'now' } });
    expect(created.status).toBe(201);
    postIds[post.key] = created.body.id;
  }
  const published = await waitFor(
    'four posts published',
    async () => {
      const posts = await Promise.all(POSTS.map(async (post) => (await api('GET', `/v1/posts/${postIds[post.key]}`)).body));
      if (posts.some((post) => post.status === 'failed')) throw new Error(`a post failed: ${JSON.stringify(posts)}`);
      return posts.every((post) => post.status === 'published') ? posts : undefined;
    },
    { timeoutMs: 40_000 },
  );
  for (const [index, post] of POSTS.entries()) {
    const set = await mock('PUT', '/_mock/metrics', { network: post.network, id: published[index].deliveries[0].externalId, metrics: post.mock });
    expect(set.status).toBe(200);
  }
  const ids = POSTS.map((post) => postIds[post.key]);
  await waitFor('four deliveries followed', async () => Number((await stack.db.query(`SELECT count(*)::int AS n FROM metric_schedules m JOIN deliveries d ON d.id = m.delivery_id WHERE d.post_id = ANY($1::uuid[])`, [ids])).rows[0].n) === 4);
  await stack.db.query(`UPDATE metric_schedules SET next_at = now() WHERE delivery_id IN (SELECT id FROM deliveries WHERE post_id = ANY($1::uuid[]))`, [ids]);
  await waitFor('a snapshot of each', async () => Number((await stack.db.query(`SELECT count(DISTINCT delivery_id)::int AS n FROM metric_snapshots WHERE delivery_id IN (SELECT id FROM deliveries WHERE post_id = ANY($1::uuid[]))`, [ids])).rows[0].n) === 4, { timeoutMs: 20_000 });
  for (const post of POSTS) await stack.db.query(`UPDATE deliveries SET published_at = $2 WHERE post_id = $1`, [postIds[post.key], publishedAt(post).toJSDate()]);
}

/** X's first account readings moved two days back, its followers raised on the mock, and read again: a change of +60. */
async function followersReadTwice(): Promise<void> {
  const readings = async (followers: number) => Number((await stack.db.query(`SELECT count(*)::int AS n FROM account_snapshots WHERE channel_id = $1 AND followers = $2`, [x.id, followers])).rows[0].n);
  await waitFor('X\'s first account reading', async () => (await readings(900)) >= 1, { timeoutMs: 20_000 });
  await stack.db.query(`UPDATE account_snapshots SET taken_at = now() - interval '2 days' WHERE channel_id = $1`, [x.id]);
  expect((await mock('PUT', '/_mock/account-metrics', { network: 'x', handle: `ana_x_${stamp}`, metrics: { followers_count: 960 } })).status).toBe(200);
  await waitFor('X\'s reading of the raised followers', async () => (await readings(960)) >= 1, { timeoutMs: 20_000 });
}

async function check(name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** A row's cells by their column (the table's data-label), as shown. */
async function cellsOf(row: Locator): Promise<Record<string, string>> {
  // In the page (no DOM types here): each cell's data-label and its text as shown.
  const cells = await row.locator('td').evaluateAll((tds) =>
    tds.map((td) => {
      const cell = td as unknown as { getAttribute(name: string): string | null; innerText: string };
      return [cell.getAttribute('data-label') ?? '', cell.innerText.trim()];
    }),
  );
  return Object.fromEntries(cells);
}

describe('the Analytics page', () => {
  it('shows the totals, a bar per day, and the posts with the figures the mock gave, sorted by engagements', async () => {
    await page.goto('/analytics');
    await visible(page.getByRole('heading', { name: 'Analytics', level: 1 }));
    const totals = page.locator('.analytics-totals');
    await visible(totals.getByText('255', { exact: true }));
    expect(await totals.locator('.analytics-stat').allInnerTexts()).toEqual(['Posts\n4', 'Impressions\n7,800', 'Engagements\n255', 'Engagement rate\n2.8 %']);

    // Over time: one bar per day that had a post, the oldest first.
    const chart = page.locator('.analytics-chart');
    await visible(chart);
    expect(await chart.locator('rect.analytics-bar').count()).toBe(4);
    const days = [...POSTS].sort((a, b) => b.daysAgo - a.daysAgo).map((post) => publishedAt(post).toISODate());
    expect(await chart.locator('figcaption').innerText()).toBe(`Engagements per period, ${days[0]} to ${days[3]}`);
    expect(await chart.locator('rect.analytics-bar title').allTextContents()).toEqual(
      [...POSTS].sort((a, b) => b.daysAgo - a.daysAgo).map((post) => `${publishedAt(post).toISODate()}: ${post.engagements} engagements, 1 post`),
    );

    // The posts: the figures the mock was given, most engagements first.
    const rows = page.getByRole('region', { name: 'Posts and what they earned' }).locator('tbody tr');
    await visible(rows.first());
    expect(await rows.count()).toBe(4);
    const texts = await rows.locator('td[data-label="Post"]').allInnerTexts();
    expect(texts.map((text) => text.trim().split(' ')[0])).toEqual(['launch', 'recap', 'toot', 'quiet']);
    expect(await cellsOf(rows.nth(0))).toMatchObject({ Impressions: '5,000', Likes: '120', Reposts: '30', Replies: '10', Engagements: '160' });
    expect(await cellsOf(rows.nth(1))).toMatchObject({ Impressions: '2,000', Likes: '40', Reposts: '5', Replies: '3', Engagements: '50' });
    // Mastodon gives no impressions: a dash, never 0.
    expect(await cellsOf(rows.nth(2))).toMatchObject({ Impressions: '—', Likes: '25', Reposts: '4', Replies: '6', Engagements: '35' });
    // Sorted by likes from the header's button: aria-sort says so.
    const likes = page.getByRole('button', { name: 'Likes' });
    await likes.click();
    expect(await page.locator('th', { has: likes }).getAttribute('aria-sort')).toBe('descending');
    expect(await rows.locator('td[data-label="Likes"]').allInnerTexts()).toEqual(['120', '40', '25', '9']);
    // Followers per channel at the latest daily reading, with the change over the range (a figure the network does not give: a dash).
    const followers = page.locator('.analytics-followers tbody tr');
    await visible(followers.first());
    const xRow = followers.filter({ has: page.getByRole('rowheader', { name: `X @${x.apiHandle}` }) });
    expect((await xRow.locator('td').allInnerTexts()).slice(0, 4)).toEqual(['960', '+60', '75', '12']);
    await check('analytics');
    // At phone width the rows are cards without the header: the order is picked from a select.
    await page.setViewportSize(PHONE);
    await page.getByLabel('Most first by').selectOption('impressions');
    expect(await rows.locator('td[data-label="Impressions"]').allInnerTexts()).toEqual(['5,000', '2,000', '800', '—']);
    await page.setViewportSize(DESKTOP);
  });

  it("shows one channel's best-times heat map and makes its best slots the channel's posting schedule", async () => {
    await page.goto('/analytics');
    await page.getByLabel('Channel', { exact: true }).selectOption({ label: `X @${x.apiHandle}` });
    const best = page.locator('.best-slots li');
    await visible(best.first());
    // X's three posts, each its own hour of the week in Berlin, best first; Mastodon's left out.
    const xPosts = POSTS.filter((post) => post.network === 'x');
    const words = xPosts.map((post) => `${publishedAt(post).setLocale('en').weekdayLong} ${String(post.hour).padStart(2, '0')}:00`);
    expect((await best.allInnerTexts()).map((text) => text.split(' engagements')[0])).toEqual(xPosts.map((post, index) => `${words[index]} ${post.engagements}`));
    expect(await page.locator('.heatmap-cell:not([data-level="0"])').count()).toBe(3);
    expect(await page.locator('.analytics-totals .analytics-stat').first().innerText()).toBe('Posts\n3');
    await check('analytics-channel');

    await page.getByRole('button', { name: 'Use these as my posting schedule' }).click();
    const dialog = page.getByRole('alertdialog');
    await visible(dialog);
    expect(await dialog.innerText()).toContain(words.join(', ').replace(/, ([^,]*)$/, ', and $1'));
    await dialog.getByRole('button', { name: 'Use these times' }).click();
    await visible(page.getByRole('status').filter({ hasText: `Saved: X @${x.apiHandle} now posts from its queue on` }));
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const expected = xPosts.map((post) => ({ day: days[publishedAt(post).weekday - 1], time: `${String(post.hour).padStart(2, '0')}:00` }));
    const saved = (await api('GET', `/v1/channels/${x.id}`)).body;
    const order = (slot: { day: string; time: string }) => `${days.indexOf(slot.day)} ${slot.time}`;
    expect([...saved.postingSchedule.slots].sort((a, b) => order(a).localeCompare(order(b)))).toEqual([...expected].sort((a, b) => order(a).localeCompare(order(b))));
    expect(saved.timezone).toBe(ZONE);
    await check('analytics-schedule-saved');
  });

  it("shows a post's metrics on its page and reads them again on demand", async () => {
    const launch = POSTS[0];
    const externalId = (await api('GET', `/v1/posts/${postIds.launch}`)).body.deliveries[0].externalId;
    await page.goto(`/posts/${postIds.launch}`);
    const card = page.getByRole('article', { name: `Metrics on X @${x.apiHandle}` });
    await visible(card);
    expect(await card.locator('.post-metrics-latest .analytics-stat').allInnerTexts()).toEqual(['Impressions\n5,000', 'Likes\n120', 'Reposts\n30', 'Replies\n10', 'Quotes\n0', 'Bookmarks\n0', 'Clicks\n0', `Engagements\n${launch.engagements}`]);
    await check('post-metrics');

    // The likes grow on X; a reading on demand shows them, the first reading kept below it.
    expect((await mock('PUT', '/_mock/metrics', { network: 'x', id: externalId, metrics: { like_count: 150 } })).status).toBe(200);
    await page.getByRole('button', { name: 'Read the figures now' }).click();
    const readings = card.getByRole('region', { name: /^Readings on/ }).locator('tbody tr');
    await waitFor('a second reading', async () => (await readings.count()) === 2, { timeoutMs: 20_000 });
    expect(await cellsOf(readings.nth(0))).toMatchObject({ Likes: '150', Engagements: '190' });
    expect(await readings.nth(0).locator('td[data-label="When"]').innerText()).toContain('(on demand)');
    expect(await cellsOf(readings.nth(1))).toMatchObject({ Likes: '120', Engagements: '160' });
    await visible(card.locator('.post-metrics-latest').getByText('150', { exact: true }));
    // Asked again within the minute: the API's 429, in its words.
    await page.getByRole('button', { name: 'Read the figures now' }).click();
    await visible(page.getByRole('alert'));
  });
});
