/**
 * The web app as a person uses it: served by the built API at `/`, driven in
 * a real Chromium against the real API, worker and mock networks. Every page
 * is checked by axe (no serious or critical violation) and photographed at
 * desktop and phone width into test/screenshots/.
 */
import { http } from './support/http';
import { Stack } from './support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await Stack.start();
});

afterAll(async () => {
  await stack?.stop();
});

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
