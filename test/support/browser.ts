/**
 * A real Chromium for the web app's browser specs (e2e against the built apps,
 * or medium against the in-process API with serveBuiltWebApp): Debian's `chromium`
 * (or `CHROMIUM_PATH`) driven by playwright-core, axe for accessibility, and
 * screenshots of each page at desktop and phone width (test/screenshots/,
 * kept out of git). A missing browser is an error that says how to get one,
 * never a skipped test.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { isApiPath } from '../../apps/api/src/web-app';

export const SCREENSHOTS = join(__dirname, '../screenshots');
export const DESKTOP = { width: 1400, height: 900 };
export const PHONE = { width: 375, height: 812 };

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Where the browser is: CHROMIUM_PATH, else Debian's chromium. Throws, saying what to install, when there is none. */
export function chromiumPath(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH is ${named}, which does not exist`);
    return named;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      'The web app specs need Chromium, and none is installed (looked for /usr/bin/chromium). ' +
        'Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this as root), ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-background-networking'],
  });
}

/** A browser context as a person in `timezoneId` with `locale` has it. */
export async function personContext(browser: Browser, baseURL: string, options: { timezoneId?: string; locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: DESKTOP,
    timezoneId: options.timezoneId ?? 'Europe/Berlin',
    locale: options.locale ?? 'en-GB',
    colorScheme: options.colorScheme ?? 'light',
  });
  context.setDefaultTimeout(30_000);
  return context;
}

/** The built web app (`npm run build` writes it). */
export const WEB_DIST = join(__dirname, '../../dist/web');

/**
 * The built web app served at `origin` inside the browser context, for the medium tier's browser specs:
 * the in-process API (which runs from the sources, where no dist/web sits beside it) answers its own
 * paths, and every other path of that origin is answered here as the API serves it in production (a
 * file of dist/web, else index.html for the app's router), also after the OAuth callback's redirect.
 * Throws when the app is not built.
 */
export async function serveBuiltWebApp(context: BrowserContext, origin: string, dir = WEB_DIST): Promise<void> {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`The web app is not built (${indexFile} is missing): run npm run build first`);
  const index = await readFile(indexFile);
  await context.route(
    (url) => url.origin === origin && !isApiPath(url.pathname),
    async (route) => {
      const path = normalize(decodeURIComponent(new URL(route.request().url()).pathname));
      const file = join(dir, path);
      if (path !== '/' && file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) return route.fulfill({ path: file });
      if (path.startsWith('/assets/')) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: index });
    },
  );
  // A network's consent (the mock's: given at once) redirects to the API's OAuth callback, which redirects into the
  // app (/channels/connected). Chromium follows a redirect without asking the routes, so the consent and the callback
  // are fetched here and their redirect made a page that goes on at once: each next address is a navigation, routed.
  const callback = `${origin}/v1/channels/connect/callback`;
  await context.route(
    (url) => (url.origin === origin && url.pathname === '/v1/channels/connect/callback') || url.searchParams.get('redirect_uri') === callback,
    async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const { location, ...headers } = response.headers();
      if (response.status() < 300 || response.status() >= 400 || !location) return route.fulfill({ response });
      const next = new URL(location, route.request().url()).toString().replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      return route.fulfill({ status: 200, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><meta http-equiv="refresh" content="0;url=${next}">` });
    },
  );
}

/** What axe finds serious or critical on the page as it is now, one line per rule and element; empty when none. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${violation.help} at ${node.target.join(' ')}`));
}

/**
 * The page checked by axe at desktop width in light mode and at phone width in
 * dark mode (what differs between widths is layout, between modes colour
 * contrast: two runs cover both), and photographed at desktop and phone width
 * (light) and desktop (dark) as test/screenshots/<name>-<desktop|phone>[-dark].png.
 * At every width, `document.documentElement.scrollWidth <= innerWidth`: no page
 * scrolls sideways.
 */
export async function checkPage(page: Page, name: string): Promise<string[]> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const found: string[] = [];
  const original = page.viewportSize() ?? DESKTOP;
  const shots: { label: 'desktop' | 'phone'; scheme: 'light' | 'dark'; axe: boolean }[] = [
    { label: 'desktop', scheme: 'light', axe: true },
    { label: 'desktop', scheme: 'dark', axe: false },
    { label: 'phone', scheme: 'dark', axe: true },
    { label: 'phone', scheme: 'light', axe: false },
  ];
  for (const { label, scheme, axe } of shots) {
    await page.setViewportSize(label === 'desktop' ? DESKTOP : PHONE);
    await page.emulateMedia({ colorScheme: scheme });
    if (axe) found.push(...(await seriousViolations(page)).map((line) => `${name} at ${label} width (${scheme}): ${line}`));
    // No page is wider than the screen: a phone never scrolls sideways (a wide table scrolls in its own region).
    const width = await page.evaluate(() => {
      // In the page: `document.documentElement.scrollWidth <= innerWidth` is what is asserted.
      const { document, innerWidth } = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return { scroll: document.documentElement.scrollWidth, inner: innerWidth };
    });
    if (width.scroll > width.inner) found.push(`${name} at ${label} width (${scheme}): the page is ${width.scroll} px wide in a ${width.inner} px window`);
    if (!(label === 'phone' && scheme === 'dark')) await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
  return found;
}
