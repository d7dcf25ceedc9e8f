/**
 * Code that takes URLs users give calls them only through Outbound (the URL
 * policy, PRODUCT.md section 15): the lint reports a plain fetch, an undici
 * or node:http(s) import there, and not a call through Outbound. (ESLint runs
 * in a child process, as in boundaries.spec.ts.)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

const FIXTURES = {
  webhookFetch: ['apps/worker/src/webhooks/fixture.ts', `export const sent = (url: string) => fetch(url, { method: 'POST' });\n`],
  webhookGlobalFetch: ['apps/api/src/webhooks/fixture.ts', `export const sent = (url: string) => globalThis.fetch(url);\n`],
  importerUndici: ['libs/media/src/fixture.ts', `import { request } from 'undici';\nexport const got = (url: string) => request(url);\n`],
  mastodonHttps: ['libs/channels/src/networks/mastodon/fixture.ts', `import { get } from 'node:https';\nexport const got = (url: string) => get(url);\n`],
  previewDynamicUndici: ['libs/channels/src/link-preview.ts', `export const got = async (url: string) => (await import('undici')).request(url);\n`],
  throughOutbound: ['apps/worker/src/webhooks/fixture.ts', `import { Outbound } from '@herald/channels';\nexport const sent = (outbound: Outbound, url: string) => outbound.fetch(url, { timeoutMs: 1, maxBytes: 1 });\n`],
  elsewhere: ['apps/api/src/health/fixture.ts', `export const probe = (url: string) => fetch(url);\n`],
} as const;
type Fixture = keyof typeof FIXTURES;

describe('the lint keeps plain HTTP out of code that takes user URLs', () => {
  jest.setTimeout(120_000);
  let messages: Record<Fixture, string[]>;

  beforeAll(() => {
    const names = Object.keys(FIXTURES) as Fixture[];
    const input = names.map((name) => ({ filePath: join(ROOT, FIXTURES[name][0]), code: FIXTURES[name][1] }));
    const output = execFileSync(process.execPath, [join(ROOT, 'test/support/lint-fixtures.mjs')], { cwd: ROOT, input: JSON.stringify(input) }).toString('utf8');
    const results = JSON.parse(output) as { ruleId: string | null; message: string }[][];
    messages = Object.fromEntries(names.map((name, index) => [name, results[index]!.filter((message) => message.ruleId === 'no-restricted-syntax').map((message) => message.message)])) as Record<Fixture, string[]>;
  });

  it.each(['webhookFetch', 'webhookGlobalFetch', 'importerUndici', 'mastodonHttps', 'previewDynamicUndici'] as const)('reports %s', (fixture) => {
    expect(messages[fixture]).toEqual([expect.stringMatching(/through Outbound/)]);
  });

  it('does not report a call through Outbound, nor a fetch in code that takes no user URL', () => {
    expect(messages.throughOutbound).toEqual([]);
    expect(messages.elsewhere).toEqual([]);
  });
});
