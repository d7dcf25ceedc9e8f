/**
 * The calendar in a real Chromium against the built API: bounded month cells
 * with "+N more", the working day first under headers that stay, a list of
 * days at phone width, an empty slot that opens compose at its time, a
 * dragged post that keeps its wall time in its channel's zone (here across
 * New York's DST change, seen from Berlin), and a queued post that asks
 * before leaving its queue. axe finds nothing serious at 1400 and 375 px, and
 * no page is wider than the window. Also: the first load's JavaScript comes
 * precompressed.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { SCREENSHOTS, checkPage, launchChromium, personContext, seriousViolations } from './support/browser';
import { http } from './support/http';
import { Stack } from './support/stack';

/** What the tests read of an element in the page (the tests' TypeScript has no DOM types). */
interface Box {
  getBoundingClientRect(): { height: number };
  scrollTop: number;
  scrollHeight: number;
  scrollTo(x: number, y: number): void;
  scrollIntoView(options: { block: string; inline: string }): void;
  textContent: string | null;
  dataset: Record<string, string>;
}

const WIDE = { width: 1400, height: 900 };
const PHONE = { width: 375, height: 812 };

// A browser under a loaded CI machine: axe over a month of posts takes its time.
jest.setTimeout(240_000);

let stack: Stack;
let browser: Browser;
let people = 0;

beforeAll(async () => {
  [stack, browser] = await Promise.all([Stack.start({ env: { AUTH_OPEN_SIGNUP: 'true' } }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A person in Berlin, signed up through the API, with an API key for setting the scene, and a New York channel with 09:00 slots (daily unless `days` says which). */
async function person(days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
  people += 1;
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `cal${people}-${Date.now()}@example.com`, password: 'a long enough password', name: `Planner ${people}` } });
  if (answer.status !== 201) throw new Error(`sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const context = await personContext(browser, stack.apiUrl, { timezoneId: 'Europe/Berlin' });
  await context.addCookies([{ name, value, url: stack.apiUrl }]);
  const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'test', role: 'admin' } });
  if (key.status !== 201) throw new Error(`api key: ${key.status}`);
  const apiKey = key.body.key as string;
  const slots = days.map((day) => ({ day, time: '09:00' }));
  const newYork = await stack.channel(apiKey, { network: 'mastodon', handle: `planner${people}ny`, timezone: 'America/New_York', postingSchedule: { slots } });
  const page = await context.newPage();
  await page.setViewportSize(WIDE);
  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const post = async (text: string, schedule: Record<string, unknown>) => {
    const created = await api('POST', '/v1/posts', { text, channelIds: [newYork.id], schedule });
    if (created.status !== 201) throw new Error(`post: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body as { id: string; deliveries: { scheduledAt: string }[] };
  };
  return { page, api, post, newYork };
}

/** axe and the no-horizontal-scroll rule at 1400 and 375 px, with screenshots (light and dark): the shared checks, run once. */
async function checkBothWidths(page: Page, name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
  await page.setViewportSize(WIDE);
}

/**
 * Drags `handle` by the pointer to the middle of `target` and lets go only
 * once the calendar shows the post over that cell, so a drop that would land
 * elsewhere fails here, naming the cell it is over. The target is first
 * scrolled to the middle of the window: near an edge, dnd-kit scrolls the
 * page under a still pointer (a few pixels, more on a slow machine), and
 * a chip's middle on a row's edge lands on whichever row holds more of it.
 */
async function dragTo(page: Page, handle: Locator, target: Locator): Promise<void> {
  const cell = await target.getAttribute('data-cell');
  await page.locator('.cal-chip.dragging').waitFor({ state: 'detached' }); // the last drag over
  await target.evaluate((element) => (element as unknown as Box).scrollIntoView({ block: 'center', inline: 'center' }));
  await handle.scrollIntoViewIfNeeded();
  const from = (await handle.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 2 });
  const to = (await target.boundingBox())!;
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  const now = (await target.boundingBox())!; // measured again: anything that moved under the pointer
  await page.mouse.move(now.x + now.width / 2, now.y + now.height / 2);
  const over = () => page.locator('.cal-cell.over').evaluateAll((cells) => cells.map((element) => (element as unknown as Box).dataset.cell));
  await waitUntil(page, `the dragged post is over ${cell}`, async () => (await over()).includes(cell!), async () => ({ over: await over(), target: now }));
  await page.mouse.up();
}

/**
 * Polls `probe` until it holds. Past `timeoutMs`, fails saying what the page
 * shows in its alerts and status lines (a refused move, dnd-kit's "Dropped
 * on ..."), what `state` reads (e.g. the post's time in the API), and where
 * a screenshot of the moment is.
 */
async function waitUntil(page: Page, what: string, probe: () => Promise<boolean>, state: () => Promise<unknown> = async () => null, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      const said = await page.locator('[role="alert"], [role="status"]').evaluateAll((elements) => elements.map((element) => (element as unknown as Box).textContent?.trim()).filter(Boolean));
      const screenshot = join(SCREENSHOTS, `timed-out-${what.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
      await page.screenshot({ path: screenshot });
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}. The page says: ${JSON.stringify(said)}. State: ${JSON.stringify(await state())}. Screenshot: ${screenshot}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const chipOf = (page: Page, postId: string) => page.locator(`.cal-chip[data-post-id="${postId}"]`);

describe('the calendar', () => {
  it('bounds a busy day to its first posts and "+N more", which opens the day; a list of days at phone width', async () => {
    const { page, post } = await person();
    const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 10 }).startOf('day');
    const busy = [];
    for (let index = 0; index < 8; index += 1) busy.push(await post(`Busy day post ${index + 1}`, { mode: 'at', at: day.set({ hour: 9 + index }).toUTC().toISO() }));
    await page.goto(`/calendar?view=month&date=${day.toISODate()}`);
    const cell = page.locator(`td[data-cell="day:${day.toISODate()}"]`);
    await cell.locator('.cal-more').waitFor();
    expect(await cell.getAttribute('data-count')).toBe('8');
    expect(await cell.locator('.cal-chip').count()).toBe(2);
    expect((await cell.locator('.cal-more').innerText()).trim()).toMatch(/^\+6 more\b/);
    // Every day cell of a week row the same height, whatever it holds.
    const heights = await page.locator(`td[data-cell^="day:"]`).evaluateAll((cells) => [...new Set(cells.map((element) => Math.round((element as unknown as Box).getBoundingClientRect().height)))]);
    expect(heights).toHaveLength(1);
    await checkBothWidths(page, 'calendar-month-busy');
    // At phone width: the month's days with posts, one under the other, not a seven-column grid.
    await page.setViewportSize(PHONE);
    await page.locator('.cal-agenda').waitFor();
    expect(await page.locator('table.cal-month').count()).toBe(0);
    expect(await page.locator(`.cal-agenda-day[data-cell="day:${day.toISODate()}"] .cal-chip`).count()).toBe(8);
    await page.setViewportSize(WIDE);
    await cell.locator('.cal-more').click();
    await page.waitForURL(/view=day/);
    expect(new URL(page.url()).searchParams.get('date')).toBe(day.toISODate());
    for (const created of busy) await chipOf(page, created.id).waitFor();
    await checkBothWidths(page, 'calendar-day');
  });

  it('opens the week on the working day under headers that stay, and an empty hour opens compose at that time', async () => {
    const { page, post } = await person();
    const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 7 }).startOf('day');
    const late = await post('Late night post', { mode: 'at', at: day.set({ hour: 23 }).toUTC().toISO() });
    await page.goto(`/calendar?view=week&date=${day.toISODate()}`);
    const scroller = page.locator('.cal-time-scroll');
    const eight = page.locator(`td[data-cell="hour:${day.toISODate()}T08"]`);
    await eight.waitFor();
    // 08:00 is the first row under the header; midnight and 23:00 are a scroll away.
    const box = (await scroller.boundingBox())!;
    const header = (await scroller.locator('thead').boundingBox())!;
    expect(Math.abs((await eight.boundingBox())!.y - (box.y + header.height))).toBeLessThan(4);
    expect(await page.locator(`td[data-cell="hour:${day.toISODate()}T00"]`).isVisible()).toBe(true); // rendered, scrolled out
    expect((await scroller.evaluate((element) => (element as unknown as Box).scrollTop)) > 0).toBe(true);
    await checkBothWidths(page, 'calendar-week');
    await page.goto(`/calendar?view=week&date=${day.toISODate()}`);
    await eight.waitFor();
    // Scrolled to the night, the day headers are still on top.
    await scroller.evaluate((element) => (element as unknown as Box).scrollTo(0, (element as unknown as Box).scrollHeight));
    await chipOf(page, late.id).waitFor();
    const after = (await scroller.locator('thead th').nth(1).boundingBox())!;
    expect(Math.abs(after.y - (await scroller.boundingBox())!.y)).toBeLessThan(3);
    // A click on an empty hour: compose, at that time in the person's zone.
    const slot = page.locator(`td[data-cell="hour:${day.toISODate()}T21"]`);
    await slot.click({ position: { x: 10, y: 10 } });
    await page.waitForURL(/\/compose\?/);
    const asked = new URL(page.url()).searchParams;
    expect([asked.get('at'), asked.get('tz')]).toEqual([`${day.toISODate()}T21:00`, 'Europe/Berlin']);
    expect(await page.getByRole('radio', { name: /At a date and time/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Date and time', { exact: true }).inputValue()).toBe(`${day.toISODate()}T21:00`);
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Europe/Berlin');
  });

  it("keeps a dragged post at 09:00 in its channel's zone (New York) for a person in Berlin, across New York's DST change", async () => {
    const { page, api, post } = await person();
    // Friday 12 March 2027, 09:00 New York (EST) is 15:00 in Berlin; by Monday the 15th New York is on EDT, Berlin not yet.
    const created = await post('Launch day post', { mode: 'at', localTime: '2027-03-12T09:00', timezone: 'America/New_York' });
    expect(created.deliveries[0]!.scheduledAt).toBe('2027-03-12T14:00:00.000Z');
    await page.goto('/calendar?view=month&date=2027-03-12');
    const chip = chipOf(page, created.id);
    await chip.waitFor();
    // Its time in the person's zone, and (in its title: a month chip is small) the channel's, which differs.
    expect(await chip.locator('.cal-chip-link').getAttribute('title')).toMatch(/^15:00 \(09:00 New York\)/);
    await dragTo(page, chip.getByRole('button', { name: /^Move/ }), page.locator('td[data-cell="day:2027-03-15"]'));
    await page.locator('td[data-cell="day:2027-03-15"]').locator(`.cal-chip[data-post-id="${created.id}"]`).waitFor();
    const launchAt = async () => (await api('GET', `/v1/posts/${created.id}`)).body.deliveries[0].scheduledAt as string;
    await waitUntil(page, 'the dragged post has moved', async () => (await launchAt()) !== '2027-03-12T14:00:00.000Z', async () => ({ scheduledAt: await launchAt() }));
    const moved = (await api('GET', `/v1/posts/${created.id}`)).body;
    // 09:00 New York (EDT) is 13:00Z: 14:00 in Berlin, not the 15:00 the person saw before.
    expect(moved.deliveries[0].scheduledAt).toBe('2027-03-15T13:00:00.000Z');
    expect(await chipOf(page, created.id).getAttribute('data-local-time')).toBe('2027-03-15T09:00');
    // The week shows both times on the chip.
    await page.goto('/calendar?view=week&date=2027-03-15');
    expect(await chipOf(page, created.id).locator('.cal-chip-time').innerText()).toMatch(/^14:00 · 09:00 New York/);
  });

  it('asks before a queued post is dragged out of its queue, and leaves it there when told to', async () => {
    // No Sunday slot: the day after the queue's next slot is then in the same week, and ahead (a Sunday slot's Saturday can be past, and refused).
    const { page, api, post } = await person(['mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
    const queued = await post('Queued post', { mode: 'queue' });
    const slot = DateTime.fromISO(queued.deliveries[0]!.scheduledAt, { zone: 'Europe/Berlin' });
    const target = slot.plus({ days: 1 });
    // Moved, it keeps 09:00 in New York a day later: the same hour in Berlin unless one of the zones changes its clocks that night.
    const expected = DateTime.fromISO(queued.deliveries[0]!.scheduledAt, { zone: 'America/New_York' }).plus({ days: 1 }).setZone('Europe/Berlin');
    const scheduledAt = async () => (await api('GET', `/v1/posts/${queued.id}`)).body.deliveries[0].scheduledAt as string;
    await page.goto(`/calendar?view=week&date=${slot.toISODate()}`);
    const chip = chipOf(page, queued.id);
    await chip.waitFor();
    expect(await chip.innerText()).toMatch(/queue/);
    const targetCell = page.locator(`td[data-cell="hour:${target.toISODate()}T${String(slot.hour).padStart(2, '0')}"]`);
    await dragTo(page, chip.getByRole('button', { name: /^Move/ }), targetCell);
    const dialog = page.getByRole('dialog', { name: 'Take this post out of the queue?' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'calendar-queued-move-wide.png') });
    await dialog.getByRole('button', { name: 'Keep it in the queue' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await scheduledAt()).toBe(queued.deliveries[0]!.scheduledAt);
    await chip.waitFor();
    await dragTo(page, chip.getByRole('button', { name: /^Move/ }), targetCell);
    await dialog.getByRole('button', { name: 'Move it out of the queue' }).click();
    await waitUntil(page, 'the queued post has moved', async () => (await scheduledAt()) !== queued.deliveries[0]!.scheduledAt, async () => ({ scheduledAt: await scheduledAt(), was: queued.deliveries[0]!.scheduledAt }));
    expect(await scheduledAt()).toBe(expected.toUTC().toISO());
    await page.locator(`td[data-cell="hour:${expected.toISODate()}T${String(expected.hour).padStart(2, '0')}"] .cal-chip[data-post-id="${queued.id}"]`).waitFor();
    expect(await chipOf(page, queued.id).innerText()).not.toMatch(/queue/);
  });
});

describe('the first load', () => {
  it('sends the JavaScript index.html loads as brotli, which decodes to the built file', async () => {
    const html = await (await fetch(`${stack.apiUrl}/`)).text();
    const scripts = [...html.matchAll(/<script[^>]*src="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const answer = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(`${stack.apiUrl}${script}`, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
      expect([script, answer.headers['content-encoding'], answer.headers.vary]).toEqual([script, 'br', 'Accept-Encoding']);
      expect(brotliDecompressSync(answer.body).equals(readFileSync(join(__dirname, '../dist/web', script)))).toBe(true);
    }
  });
});
