/**
 * Threads and first comments in a real Chromium against the built API
 * (PRODUCT.md section 10): a long text split into a thread of three parts
 * for X, reordered from the keyboard, a part added and removed, a first
 * comment, part 2 given its own text on X; LinkedIn named as taking one
 * part (and refused on sending) until it is unticked; X's preview showing the parts joined with their
 * reply lines and the comment as the last reply; the thread scheduled and
 * its parts listed on the post's page with each one's status, then edited
 * there (a part rewritten, one removed, one added and moved, the reply with
 * its own X text moved with it and that text rewritten, the comment
 * changed, a part too long refused before it is sent), and edited again
 * with that reply's X text kept; a contributor's thread previewed for its
 * approver with its reply's own X text. Then a
 * LinkedIn post with a first comment, previewed as a comment under the
 * post and listed on its page. Every page checked by axe and for sideways
 * scroll at 1400 and 375 px, and photographed.
 */
import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { checkPage, launchChromium, personContext } from './support/browser';
import { http, waitFor } from './support/http';
import { Stack } from './support/stack';

// A browser on a loaded CI machine: a walk through many pages, each checked by axe at two widths, takes its time.
jest.setTimeout(240_000);

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

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await waitFor(`text ${pattern}`, async () => pattern.test(await locator.first().innerText().catch(() => '')), { timeoutMs: 30_000, intervalMs: 100 });
}

async function texts(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((text) => text.trim());
}

/** Three sentences of about 200 characters: over X's 280 together, one to a part. */
const SENTENCES = [
  'Today we open Herald to everyone: a scheduler you run on your own server, with every post published exactly once, even when the worker is restarted in the middle of a busy morning.',
  'Threads now go out in order on X, Bluesky, Mastodon and Threads, each part a reply to the one before it, and a first comment follows on LinkedIn, Facebook and Instagram right after the post.',
  'Everything is in the documentation, from the first install to the last webhook, and the whole code is open for anyone to read, to run, to change, and to send back to us as a pull request.',
];

describe('a thread and a first comment', () => {
  it('splits, reorders and previews a thread for X, refuses it for LinkedIn, schedules it and lists its parts; a LinkedIn post takes a first comment; a published post is unpublished from its page', async () => {
    const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `threads-${Date.now()}@example.com`, password: 'a long enough password', name: 'Tess' } });
    expect(answer.status).toBe(201);
    const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
    const [name, value] = cookie.split('=') as [string, string];
    const context = await personContext(browser, stack.apiUrl, { timezoneId: 'Europe/Berlin' });
    await context.addCookies([{ name, value, url: stack.apiUrl }]);
    const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'setup', role: 'admin' } });
    expect(key.status).toBe(201);
    const apiKey = key.body.key as string;
    const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
    const stamp = Date.now().toString(36);
    const [x, linkedin] = await Promise.all([stack.channel(apiKey, { network: 'x', handle: `tess_x_${stamp}` }), stack.channel(apiKey, { network: 'linkedin', handle: `tess_li_${stamp}` })]);
    const page = await context.newPage();

    await page.goto('/compose');
    const xBox = page.getByRole('checkbox', { name: new RegExp(`^X @${x.apiHandle}`) });
    const linkedinBox = page.locator(`.channel-toggle[data-channel-id="${linkedin.id}"] input[type="checkbox"]`);
    await xBox.check();
    await linkedinBox.check();
    await page.getByLabel('Text', { exact: true }).fill(SENTENCES.join(' '));
    // Too long for X: its counter refuses, and "Split into a thread" is offered.
    await page.locator(`.counter.refused[data-channel-id="${x.id}"]`).waitFor();
    await page.getByRole('button', { name: 'Split into a thread' }).click();
    const partFields = page.locator('.thread-part textarea');
    await page.getByRole('list', { name: 'Thread of 3 parts' }).waitFor();
    expect(await partFields.evaluateAll((fields) => fields.map((field) => (field as unknown as { value: string }).value))).toEqual(SENTENCES);
    expect(await page.locator(`.thread-part .counter.refused`).count()).toBe(0);

    // LinkedIn takes one part: said at once, with a way out.
    const noThreads = page.locator('#no-threads');
    await noThreads.waitFor();
    expect(await noThreads.innerText()).toMatch(/^LinkedIn .* takes one part, not a thread of 3/);

    // Reordered from the keyboard: part 3 moved earlier, then back (the focus stays on the moved part's button).
    const valuesNow = () => partFields.evaluateAll((fields) => fields.map((field) => (field as unknown as { value: string }).value));
    await page.getByRole('button', { name: 'Move part 3 earlier' }).focus();
    await page.keyboard.press('Enter');
    expect(await valuesNow()).toEqual([SENTENCES[0], SENTENCES[2], SENTENCES[1]]);
    await page.getByRole('button', { name: 'Move part 2 later' }).focus();
    await page.keyboard.press('Enter');
    expect(await valuesNow()).toEqual(SENTENCES);
    // A part added (focus in it), then removed.
    await page.getByRole('button', { name: '+ Add a part' }).click();
    await page.getByLabel('Part 4 of 4').fill('A fourth part, for a moment.');
    await page.getByRole('button', { name: 'Remove part 4' }).click();
    await page.getByRole('list', { name: 'Thread of 3 parts' }).waitFor();

    const comment = 'The full notes are here: https://example.com/launch';
    await page.getByLabel('First comment (optional)').fill(comment);

    // X's preview: three parts joined, parts 2 and 3 and the comment replying; LinkedIn's: refused as a thread, the comment under the post.
    const xPreview = page.getByRole('article', { name: new RegExp(`^Preview on X .*: a thread of 4$`) });
    await xPreview.waitFor();
    expect(await xPreview.locator('.preview-chain-item').count()).toBe(4);
    expect(await xPreview.locator('.preview-replying').count()).toBe(3);
    expect(await texts(xPreview.locator('.preview-text'))).toEqual([...SENTENCES, comment]);
    const linkedinPreview = page.getByRole('article', { name: /^Preview on LinkedIn / });
    expect(await linkedinPreview.locator('.field-errors').innerText()).toMatch(/no threads: it takes one part, not 3/);
    expect(await linkedinPreview.locator('.preview-comment .preview-text').innerText()).toBe(comment);
    await check(page, 'compose-thread');
    // Part 2 gets a shorter text of its own on X: X's preview shows it, its counter counts it.
    await page.getByRole('checkbox', { name: /^Customize part 2 for X / }).check();
    await page.getByLabel(/^Part 2 for X /).fill('In order, on four networks.');
    await waitFor('X preview with part 2 for X', async () => (await texts(xPreview.locator('.preview-text')))[1] === 'In order, on four networks.', { timeoutMs: 10_000, intervalMs: 100 });

    // Sent with LinkedIn picked: refused before anything is sent, LinkedIn named.
    await page.getByRole('radio', { name: /At a date and time/ }).check();
    const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 2 }).toISODate();
    await page.getByLabel('Date and time', { exact: true }).fill(`${day}T10:00`);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not sent' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/LinkedIn .*: it has no threads, so it takes one part, not 3/);
    await noThreads.getByRole('button', { name: /^Untick LinkedIn/ }).click();
    expect(await linkedinBox.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const threadId = page.url().split('/').pop()!;

    // What the API keeps: three parts and the comment, each part scheduled on X.
    const stored = await api('GET', `/v1/posts/${threadId}`);
    expect(stored.body.parts.map((part: { text: string }) => part.text)).toEqual(SENTENCES);
    expect(stored.body.firstComment).toEqual({ text: comment });
    expect(stored.body.parts[1].variants).toEqual({ [x.id]: 'In order, on four networks.' });
    expect(stored.body.deliveries[0].parts.map((part: { index: number; status: string }) => [part.index, part.status])).toEqual([
      [0, 'scheduled'],
      [1, 'scheduled'],
      [2, 'scheduled'],
    ]);

    // The post's page: the thread in order, and each part's and the comment's status on X.
    await page.locator('ol.post-parts[aria-label="Thread of 3 parts"] .post-text').first().waitFor();
    expect(await texts(page.locator('.post-part .post-text'))).toEqual(SENTENCES);
    const pieces = page.getByRole('list', { name: /^Each part on X / });
    expect(await texts(pieces.locator('.piece-status-name'))).toEqual(['Part 1 of 3', 'Part 2 of 3', 'Part 3 of 3', 'First comment']);
    expect(await pieces.locator('.piece-status').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { status: string } }).dataset.status))).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled']);
    await check(page, 'post-thread');
    // Its editor edits the parts: the second rewritten, the third removed, a new one added and moved before it; the comment changed.
    await page.getByRole('button', { name: 'Edit post' }).click();
    const editor = page.locator('form.post-editor');
    await editor.getByRole('list', { name: 'Thread of 3 parts' }).waitFor();
    await editor.getByLabel('Part 2 of 3').fill('Threads go out in order, each part a reply to the one before.');
    await editor.getByRole('button', { name: 'Remove part 3' }).click();
    await editor.getByRole('button', { name: '+ Add a part' }).click();
    await editor.getByLabel('Part 3 of 3').fill('P.S. Say hello at our booth.');
    await editor.getByRole('button', { name: 'Move part 3 earlier' }).click();
    await editor.getByLabel('First comment (optional)').fill('Docs: https://example.com/docs');
    // The reply moved to third place took its own X text with it; it is rewritten there.
    expect(await editor.getByRole('checkbox', { name: /^Customize part 3 for X / }).isChecked()).toBe(true);
    expect(await editor.getByLabel(/^Part 3 for X /).inputValue()).toBe('In order, on four networks.');
    await editor.getByLabel(/^Part 3 for X /).fill('In order, each a reply.');
    // One part too long for X is refused before it is sent, naming the part.
    await editor.getByLabel('Part 1 of 3').fill(`${SENTENCES[0]} ${SENTENCES[1]}`);
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await expectText(editor.locator('.alert'), /part 1: /);
    await editor.getByLabel('Part 1 of 3').fill(SENTENCES[0]!);
    await check(page, 'post-thread-edit');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    const edited = await api('GET', `/v1/posts/${threadId}`);
    expect(edited.body.parts.map((part: { text: string }) => part.text)).toEqual([SENTENCES[0], 'P.S. Say hello at our booth.', 'Threads go out in order, each part a reply to the one before.']);
    expect(edited.body.firstComment).toEqual({ text: 'Docs: https://example.com/docs' });
    expect(await texts(page.locator('.post-part .post-text'))).toEqual(edited.body.parts.map((part: { text: string }) => part.text));
    expect(edited.body.parts.map((part: { variants?: Record<string, string> }) => part.variants ?? null)).toEqual([null, null, { [x.id]: 'In order, each a reply.' }]);
    expect(await texts(page.locator('.post-part[data-part="2"] .part-variant-text'))).toEqual(['In order, each a reply.']);
    // Edited again, another part only: the reply's own X text is in the form, and kept.
    await page.getByRole('button', { name: 'Edit post' }).click();
    await editor.getByRole('list', { name: 'Thread of 3 parts' }).waitFor();
    expect(await editor.getByLabel(/^Part 3 for X /).inputValue()).toBe('In order, each a reply.');
    await editor.getByLabel('Part 2 of 3').fill('P.S. Say hello at booth 12.');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    const again = await api('GET', `/v1/posts/${threadId}`);
    expect(again.body.parts.map((part: { text: string; variants?: Record<string, string> }) => [part.text, part.variants ?? null])).toEqual([
      [SENTENCES[0], null],
      ['P.S. Say hello at booth 12.', null],
      ['Threads go out in order, each part a reply to the one before.', { [x.id]: 'In order, each a reply.' }],
    ]);

    // An approver sees what each network gets: a contributor's thread, its reply's own X text in X's preview.
    const writerKey = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'writer', role: 'contributor' } });
    expect(writerKey.status).toBe(201);
    const asked = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: writerKey.body.key,
      body: { parts: [{ text: 'Asked 1/2' }, { text: 'Asked 2/2, in full for every network', variants: { [x.id]: 'Asked 2/2, for X' } }], channelIds: [x.id], schedule: { mode: 'at', at: `${day}T12:00:00+01:00` } },
    });
    expect([asked.status, asked.body.status]).toEqual([201, 'pending_approval']);
    await page.goto('/approvals');
    const askedPreview = page.locator(`.approval[data-post-id="${asked.body.id}"]`).getByRole('article', { name: /^Preview on X / });
    await waitFor('the approver\'s preview of the thread on X', async () => (await texts(askedPreview.locator('.preview-text')).catch(() => [])).join('|') === 'Asked 1/2|Asked 2/2, for X', { timeoutMs: 30_000, intervalMs: 200 });

    // A LinkedIn post with a first comment: previewed under the post, kept, and listed on its page.
    await page.goto('/compose');
    await linkedinBox.check();
    await page.getByLabel('Text', { exact: true }).fill('We are hiring two engineers in Berlin.');
    expect(await page.getByLabel('First comment (optional)').getAttribute('aria-describedby')).toBeTruthy();
    expect(await page.locator('.first-comment .field-hint').innerText()).toMatch(/a comment under the post on LinkedIn/);
    await page.getByLabel('First comment (optional)').fill('Apply here: https://example.com/jobs');
    await page.getByRole('article', { name: /^Preview on LinkedIn / }).locator('.preview-comment').waitFor();
    await page.getByRole('radio', { name: /At a date and time/ }).check();
    await page.getByLabel('Date and time', { exact: true }).fill(`${day}T11:00`);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.waitForURL((url) => /\/posts\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(threadId));
    const linkedinPost = await api('GET', `/v1/posts/${page.url().split('/').pop()}`);
    // One part: the post's own text (the API lists it as the only part).
    expect(linkedinPost.body.parts).toEqual([{ text: 'We are hiring two engineers in Berlin.', media: [] }]);
    expect(linkedinPost.body.firstComment).toEqual({ text: 'Apply here: https://example.com/jobs' });
    const linkedinPieces = page.getByRole('list', { name: /^Each part on LinkedIn / });
    await linkedinPieces.waitFor();
    expect(await texts(linkedinPieces.locator('.piece-status-name'))).toEqual(['First comment']);
    await check(page, 'post-first-comment');

    // A post out on X and LinkedIn, taken back down from its page: the dialog names both, and each channel then says so.
    const wrong = 'The wrong text, sent to two networks.';
    const sent = await api('POST', '/v1/posts', { text: wrong, channelIds: [x.id, linkedin.id], schedule: { mode: 'now' } });
    expect(sent.status).toBe(201);
    await waitFor('the post published', async () => (await api('GET', `/v1/posts/${sent.body.id}`)).body.status === 'published', { timeoutMs: 60_000, intervalMs: 250 });
    await page.goto(`/posts/${sent.body.id}`);
    await page.getByRole('button', { name: 'Unpublish', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Unpublish this post?' });
    expect(await dialog.innerText()).toMatch(/deleted from (X and LinkedIn|LinkedIn and X)/);
    await dialog.getByRole('button', { name: 'Unpublish', exact: true }).click();
    await page.getByText(/Unpublished .*taken down from X/).waitFor({ timeout: 60_000 });
    await page.getByText(/Unpublished .*taken down from LinkedIn/).waitFor({ timeout: 60_000 });
    expect((await stack.mockPosts({ network: 'x', handle: x.handle })).filter((post) => post.text === wrong)).toHaveLength(0);
    expect((await stack.mockPosts({ network: 'linkedin', handle: linkedin.handle })).filter((post) => post.text === wrong)).toHaveLength(0);
    expect((await api('GET', `/v1/posts/${sent.body.id}`)).body.status).toBe('deleted');
    await check(page, 'post-unpublished');
    await context.close();
  });
});
