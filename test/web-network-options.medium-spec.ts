/**
 * A post's network options from the web app (PRODUCT.md section 14) in a
 * real Chromium against the in-process API and the mock networks (the built
 * web app served by serveBuiltWebApp; channels connected through the mock's
 * OAuth): compose's YouTube section (a title of its own, privacy, tags) on a
 * video; a Google Business Profile event whose empty title the API refuses
 * (400) and the form shows at "Event title", then saved with its dates and
 * button; a Pinterest pin to the board picked among the channel's; each
 * checked against what the API stored (GET /v1/posts/:id networkOptions). A
 * title YouTube refuses (`<`) is said at the field before anything is sent.
 * TikTok's privacy offers only the levels the creator allows (the mock's
 * creator settings), and what the creator turned off is greyed out with its
 * reason. A channel's own defaults are saved from its settings (PATCH
 * networkOptions). Compose with every section open, a local post's preview
 * and the settings checked by axe and for sideways scroll at 1400 and 375
 * px, and photographed.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { checkPage, launchChromium, personContext, serveBuiltWebApp } from './support/browser';
import { http } from './support/http';
import { InProcessStack } from './support/in-process';
import { CLIP_MP4, image } from './support/media-files';

// Each checked page is run through axe and photographed at two widths in two schemes (several seconds a page on a busy machine).
jest.setTimeout(180_000);

interface ChannelSeen {
  id: string;
  network: string;
  handle: string;
  timezone: string;
  choices: Record<string, unknown>;
  networkOptions: Record<string, unknown>;
}

let stack: InProcessStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let apiKey: string;
let youtube: ChannelSeen;
let pinterest: ChannelSeen;
let business: ChannelSeen;
let tiktok: ChannelSeen;
const stamp = Date.now().toString(36);

const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });

/** Connects `network` as `handle` through the mock's consent (a Google account's first location): the channel as the API shows it. */
async function connect(network: string, handle: string): Promise<ChannelSeen> {
  // Back to the web app's own page, as the web app asks.
  const landed = await stack.connectThroughOAuth(apiKey, network, handle, { redirectUri: `${stack.apiUrl}/channels/connected` });
  const pending = landed.searchParams.get('pending');
  if (pending) {
    const [first] = (await api('GET', `/v1/channels/connect/${pending}/accounts`)).body.data as Array<{ accountId: string }>;
    const chosen = await api('POST', `/v1/channels/connect/${pending}/choose`, { accountId: first!.accountId });
    return (await api('GET', `/v1/channels/${chosen.body.id}`)).body;
  }
  const channelId = landed.searchParams.get('channelId');
  if (!channelId) throw new Error(`connecting ${network} ended with ${landed.toString()}`);
  return (await api('GET', `/v1/channels/${channelId}`)).body;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([InProcessStack.start({ env: { AUTH_OPEN_SIGNUP: 'true' } }), launchChromium()]);
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `options-${stamp}@example.com`, password: 'a long enough password', name: 'Opal', timezone: 'Europe/Berlin' } });
  expect(answer.status).toBe(201);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const [name, value] = cookie.split('=') as [string, string];
  const key = await http('POST', `${stack.apiUrl}/v1/api-keys`, { headers: { cookie, 'x-csrf-token': answer.body.csrfToken }, body: { name: 'check', role: 'admin' } });
  expect(key.status).toBe(201);
  apiKey = key.body.key as string;
  // The TikTok creator allows only followers and themself, and has turned comments off (TikTok's creator_info).
  const tiktokHandle = `opal_tt_${stamp}`;
  const tiktokUrl = stack.networks.find((network) => network.network === 'tiktok')!.baseUrl;
  const creator = await http('PUT', `${tiktokUrl}/_mock/creator`, { body: { handle: tiktokHandle, privacyLevelOptions: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'], commentDisabled: true } });
  expect(creator.status).toBe(200);
  [youtube, pinterest, business, tiktok] = await Promise.all([
    connect('youtube', `opal_yt_${stamp}`),
    connect('pinterest', `opal_pin_${stamp}`),
    connect('google_business', `opal_shop_${stamp}`),
    connect('tiktok', tiktokHandle),
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
});

async function check(name: string): Promise<void> {
  expect(await checkPage(page, name)).toEqual([]);
}

async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** Compose with the channels ticked and the text typed, saved as a draft when sent. */
async function compose(channels: ChannelSeen[], text: string): Promise<void> {
  await page.goto('/compose');
  for (const channel of channels) await page.locator(`.channel-toggle[data-channel-id="${channel.id}"] input`).check();
  await page.getByLabel('Text', { exact: true }).fill(text);
  await page.getByRole('radio', { name: /Save as draft/ }).check();
}

/** The network's options section, opened. */
async function section(network: string): Promise<Locator> {
  const details = page.locator(`details.network-options[data-network="${network}"]`);
  await visible(details);
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details;
}

/** Sends the draft and waits for its page: the post as the API keeps it. */
async function saved(): Promise<{ id: string; networkOptions: Record<string, unknown> }> {
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
  const postId = page.url().split('/').pop()!;
  const post = await api('GET', `/v1/posts/${postId}`);
  expect(post.status).toBe(200);
  return post.body;
}

describe('network options in compose', () => {
  it('gives a YouTube video a title of its own, a privacy and tags; a title YouTube refuses is said at the field first', async () => {
    await compose([youtube], 'Behind the scenes at the studio\nHow we record an episode #studio');
    await page.getByLabel('Add images or video').setInputFiles({ name: 'clip.mp4', mimeType: 'video/mp4', buffer: CLIP_MP4 });
    await visible(page.getByText(/video\/mp4/));
    const options = await section('youtube');
    // The title's placeholder is the text's first line: what YouTube gets when it is left empty.
    const title = options.getByLabel('Video title');
    expect(await title.getAttribute('placeholder')).toBe('Behind the scenes at the studio');
    await title.fill('Studio <live>');
    await visible(options.getByText('The title holds "<" or ">", which YouTube refuses'));
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    await title.fill('A day at the studio');
    await options.getByLabel('Privacy').selectOption('unlisted');
    await options.getByLabel('Tags').fill('studio, behind the scenes');
    await visible(options.locator('.network-options-summary').getByText('“A day at the studio” · Unlisted · 2 tags'));
    // The preview shows the title of its own.
    await visible(page.getByRole('article', { name: /^Preview on YouTube/ }).locator('.preview-title').getByText('A day at the studio'));
    const post = await saved();
    expect(post.networkOptions).toEqual({ youtube: { title: 'A day at the studio', privacy: 'unlisted', tags: ['studio', 'behind the scenes'] } });
    // The post's page says them.
    const content = page.getByRole('region', { name: 'Content' });
    await visible(content.getByRole('heading', { name: 'For YouTube' }));
    await visible(content.getByText('Unlisted (anyone with the link)'));
    await visible(content.getByText('studio, behind the scenes'));
    await check('post-network-options');
  });

  it('makes a Business Profile post an event: the API’s refusal of an empty title shown at the field, then saved with its dates and button', async () => {
    await compose([business], 'Open day at the shop: come and try the new menu.');
    const options = await section('google_business');
    await options.getByRole('radio', { name: /^Event/ }).check();
    await options.getByLabel('Starts').fill('2027-03-12T18:00');
    await options.getByLabel('Ends').fill('2027-03-12T22:00');
    await options.getByLabel('Button', { exact: true }).selectOption('BOOK');
    await options.getByLabel('Button link').fill('https://shop.example.com/book');
    // No title: the API refuses the shape (400) and the form says so at the field.
    await page.getByRole('button', { name: 'Save draft' }).click();
    const eventTitle = options.getByLabel('Event title');
    await visible(options.locator('.field-errors').first());
    expect(await eventTitle.getAttribute('aria-invalid')).toBe('true');
    await visible(page.getByRole('alert').getByText('See the messages next to the fields below.'));
    await check('compose-network-options-refused');
    await eventTitle.fill('Spring open day');
    const preview = page.getByRole('article', { name: /^Preview on Google Business Profile/ });
    await visible(preview.getByText('Spring open day'));
    // The local post as Google shows it: its dates and its button's label.
    await visible(preview.getByText(/12 Mar(ch)? 2027, 18:00 – 22:00/));
    await visible(preview.getByText('Book', { exact: true }));
    await page.getByLabel('Add images or video').setInputFiles({ name: 'shop.png', mimeType: 'image/png', buffer: await image('png', 1200, 900) });
    await visible(preview.locator('img.local-post-photo'));
    await check('compose-business-event');
    const post = await saved();
    expect(post.networkOptions).toEqual({
      google_business: { topicType: 'EVENT', event: { title: 'Spring open day', startsAt: '2027-03-12T18:00', endsAt: '2027-03-12T22:00' }, callToAction: { actionType: 'BOOK', url: 'https://shop.example.com/book' } },
    });
  });

  it('pins to the board picked among the Pinterest channel’s, with a title and a link', async () => {
    const boards = pinterest.choices.boards as Array<{ id: string; name: string }>;
    expect(boards.length).toBeGreaterThan(1);
    await compose([pinterest], 'Spring colours for the living room');
    await page.getByLabel('Add images or video').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: await image('png', 1000, 1500) });
    await visible(page.getByText('image/png, 1000×1500'));
    const options = await section('pinterest');
    const board = options.getByLabel('Board');
    // The channel's own board first; the others offered by name.
    expect(await board.inputValue()).toBe(boards[0]!.id);
    expect(await board.locator('option').allInnerTexts()).toEqual(boards.map((entry) => entry.name));
    await board.selectOption(boards[1]!.id);
    await options.getByLabel('Pin title').fill('Spring colours');
    await options.getByLabel('Link').fill('https://www.example.com/spring');
    await visible(page.getByRole('article', { name: /^Preview on Pinterest/ }).getByText('example.com'));
    await check('compose-pinterest-pin');
    const post = await saved();
    expect(post.networkOptions).toEqual({ pinterest: { boardId: boards[1]!.id, title: 'Spring colours', link: 'https://www.example.com/spring' } });
  });

  it('edits a saved post’s options from its page: the event made an offer with a coupon, its button dropped', async () => {
    const created = await api('POST', '/v1/posts', {
      text: 'Spring at the shop',
      channelIds: [business.id],
      schedule: { mode: 'draft' },
      networkOptions: { google_business: { topicType: 'EVENT', event: { title: 'Spring week', startsAt: '2027-04-01T09:00', endsAt: '2027-04-07T18:00' }, callToAction: { actionType: 'CALL' } } },
    });
    expect(created.status).toBe(201);
    await page.goto(`/posts/${created.body.id}`);
    await page.getByRole('button', { name: 'Edit post' }).click();
    const editor = page.locator('form.post-editor');
    const details = editor.locator('details.network-options[data-network="google_business"]');
    await visible(details);
    await details.locator('summary').click();
    expect(await details.getByLabel('Event title').inputValue()).toBe('Spring week');
    expect(await details.getByLabel('Button', { exact: true }).inputValue()).toBe('CALL');
    await details.getByRole('radio', { name: /^Offer/ }).check();
    await details.getByLabel('Coupon code (optional)').fill('SPRING10');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    expect((await api('GET', `/v1/posts/${created.body.id}`)).body.networkOptions).toEqual({
      google_business: { topicType: 'OFFER', event: { title: 'Spring week', startsAt: '2027-04-01T09:00', endsAt: '2027-04-07T18:00' }, offer: { couponCode: 'SPRING10' } },
    });
  });

  it('offers TikTok only the privacy levels the creator allows, greys out what the creator turned off, and shows every section at both widths', async () => {
    expect(tiktok.choices).toMatchObject({ privacyLevels: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'], commentDisabled: true });
    // The creator now also offers friends: compose reads the creator again when it offers the channel (TikTok wants it read then).
    const tiktokUrl = stack.networks.find((network) => network.network === 'tiktok')!.baseUrl;
    const creatorNow = (levels: string[]) => http('PUT', `${tiktokUrl}/_mock/creator`, { body: { handle: tiktok.handle, privacyLevelOptions: levels, commentDisabled: true } });
    expect((await creatorNow(['MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'])).status).toBe(200);
    await compose([youtube, tiktok, pinterest, business], 'Spring open day\nCome and see us.');
    const options = await section('tiktok');
    const privacy = options.getByLabel('Who can see this post');
    await privacy.locator('option', { hasText: 'Friends' }).waitFor({ state: 'attached' });
    expect(await privacy.locator('option').allInnerTexts()).toEqual(['Choose who can see it…', 'Friends', 'Followers', 'Only me']);
    const comments = options.getByRole('checkbox', { name: /Allow comments/ });
    expect(await comments.isDisabled()).toBe(true);
    await visible(options.getByText(/Turned off in the TikTok settings of this account/));
    expect(await options.getByRole('checkbox', { name: /Allow Duet/ }).isDisabled()).toBe(false);
    await visible(options.getByRole('link', { name: 'Music Usage Confirmation' }));
    // Sending without a privacy is stopped at the field: TikTok wants the person to pick one.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await visible(options.getByText(/Choose who can see it: TikTok wants you to pick/));
    await privacy.selectOption('FOLLOWER_OF_CREATOR');
    await options.getByRole('checkbox', { name: /Allow Duet/ }).check();
    // Branded content cannot be private: "Only me" is then not offered, and the post will be labelled.
    await options.getByRole('checkbox', { name: /Branded content/ }).check();
    expect(await privacy.locator('option', { hasText: 'Only me' }).isDisabled()).toBe(true);
    await visible(options.getByText('TikTok will label the post “Paid partnership”.'));
    await visible(options.getByRole('link', { name: 'Branded Content Policy' }));
    for (const network of ['youtube', 'pinterest', 'google_business']) await section(network);
    await (await section('google_business')).getByRole('radio', { name: /^Offer/ }).check();
    await check('compose-network-options');
    // As it was, for the tests after this one.
    expect((await creatorNow(['FOLLOWER_OF_CREATOR', 'SELF_ONLY'])).status).toBe(200);
    expect((await api('POST', `/v1/channels/${tiktok.id}/profile/refresh`)).body.choices).toMatchObject({ privacyLevels: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'] });
  });
});

describe('a channel’s own defaults on its settings', () => {
  /** The channel's Settings tab, its network's defaults form. */
  async function settings(channel: ChannelSeen): Promise<Locator> {
    await page.goto(`/channels/${channel.id}?tab=settings`);
    const form = page.getByRole('form', { name: / defaults$/ });
    await visible(form);
    return form;
  }

  it('saves the board new pins go to and a YouTube channel’s privacy', async () => {
    const boards = pinterest.choices.boards as Array<{ id: string; name: string }>;
    let form = await settings(pinterest);
    const board = form.getByLabel('Board new pins go to');
    expect(await board.inputValue()).toBe(boards[0]!.id);
    await board.selectOption(boards[1]!.id);
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByRole('status').getByText('Saved.'));
    expect((await api('GET', `/v1/channels/${pinterest.id}`)).body.networkOptions).toEqual({ boardId: boards[1]!.id });

    form = await settings(youtube);
    await form.getByLabel('Privacy of new videos').selectOption('private');
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByRole('status').getByText('Saved.'));
    expect((await api('GET', `/v1/channels/${youtube.id}`)).body.networkOptions).toEqual({ privacy: 'private' });
    // Compose now starts from them.
    await compose([youtube, pinterest], 'Spring colours');
    expect((await (await section('youtube')).getByLabel('Privacy').locator('option').allInnerTexts())[0]).toBe('The channel’s default: Private');
    expect(await (await section('pinterest')).getByLabel('Board').inputValue()).toBe(boards[1]!.id);
  });

  it('offers a TikTok account’s default privacy among the creator’s levels, with what TikTok does with an unaudited app’s posts', async () => {
    const form = await settings(tiktok);
    const privacy = form.getByLabel('Who can see new posts');
    expect(await privacy.locator('option').allInnerTexts()).toEqual(['Ask on each post', 'Followers', 'Only me']);
    await visible(form.getByText(/Until TikTok has audited the operator.s app, it posts privately only/));
    await privacy.selectOption('SELF_ONLY');
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByRole('status').getByText('Saved.'));
    expect((await api('GET', `/v1/channels/${tiktok.id}`)).body.networkOptions).toEqual({ privacy: 'SELF_ONLY' });
    await check('channel-tiktok-defaults');
  });
});
