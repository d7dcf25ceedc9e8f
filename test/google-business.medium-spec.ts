/**
 * Google Business Profile (PRODUCT.md section 14) against its own origin of
 * the mock, with real Postgres and Redis: connected through Google's OAuth
 * from the API (offline access: a refresh token kept), the account's
 * locations offered and one chosen per channel, a local post with a photo
 * (fetched by Google from Herald's signed media link) and a call to action
 * published once, a summary over 1,500 characters refused when the post is
 * scheduled (a 422 naming the rule), an unpublish that deletes the
 * local post, and a connection dropped after Google took the post resolved
 * by reading the location's local posts, never a second post.
 */
import { GoogleBusinessAdapter } from '../libs/channels/src/networks/google-business/google-business.adapter';
import { KeptState } from '../libs/channels/src/networks/testing/scripted-network';
import { ADAPTER_OPTIONS, mockToken, publishRequest } from './support/direct-adapter';
import { http, waitFor } from './support/http';
import { image, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';
import { mockCalls } from './support/mock-networks';
import { CONNECTED_URI, redirectOf } from './support/stack';

interface MockLocalPost {
  id: string;
  text: string;
  media: Array<{ type: string; mimeType: string; width?: number; height?: number }>;
}

describe('Google Business Profile', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '200' } });
    ({ apiKey } = await stack.workspace('google-business'));
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const localPosts = async (handle: string) => (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network: 'google_business', handle })}`)).body.data as MockLocalPost[];
  const calls = async (handle: string) => (await mockCalls({ controlUrl: stack.mockUrl }, { network: 'google_business', handle })).data.map((call) => `${call.method} ${decodeURIComponent(call.path.split('?')[0]!)} ${call.status}`);

  /** Google's consent as `handle` (the mock's login hint), then the location at `pick` of those offered: the channel it made. */
  async function connect(handle: string, pick = 1): Promise<{ channel: { id: string; network: string; handle: string; displayName: string }; offered: Array<{ accountId: string; handle: string }> }> {
    const started = await api('POST', '/v1/channels/connect', { network: 'google_business', redirectUri: CONNECTED_URI });
    expect(started.status).toBe(201);
    const authorize = new URL(started.body.authorizeUrl);
    expect(authorize.pathname).toBe('/o/oauth2/v2/auth');
    expect(authorize.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/business.manage');
    expect(authorize.searchParams.get('access_type')).toBe('offline');
    authorize.searchParams.set('login_hint', handle);
    const callback = await redirectOf(authorize.toString());
    const landed = await redirectOf(callback.toString());
    const state = landed.searchParams.get('pending');
    if (!state) throw new Error(`connecting Google Business Profile ended with ${landed.toString()}`);
    expect(landed.searchParams.get('accounts')).toBe('2');
    const offered = (await api('GET', `/v1/channels/connect/${state}/accounts`)).body.data as Array<{ accountId: string; handle: string }>;
    const chosen = await api('POST', `/v1/channels/connect/${state}/choose`, { accountId: offered[pick]!.accountId });
    expect(chosen.status).toBe(201);
    return { channel: chosen.body, offered };
  }

  async function settled(postId: string): Promise<{ status: string; deliveries: Array<{ status: string; externalId: string | null; externalUrl: string | null; lastError: unknown }> }> {
    return waitFor(
      `post ${postId} settled`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        return ['published', 'failed'].includes(post.status) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
  }

  it('is listed among the networks, connectable with the mock demo app, its summary 1,500 characters, its posts deletable', async () => {
    const listed = (await api('GET', '/v1/networks')).body.data as Array<{ network: string }>;
    expect(listed.find((network) => network.network === 'google_business')).toMatchObject({
      displayName: 'Google Business Profile',
      connect: { method: 'oauth', connectable: true },
      text: { maxLength: 1500 },
      media: { maxImages: 1, maxVideos: 0, minItems: 0 },
      deletion: { supported: true },
    });
  });

  it('connects a chosen location through Google OAuth, posts a photo with a call to action once, and unpublish deletes it', async () => {
    const handle = unique('gbp');
    const { channel, offered } = await connect(handle);
    expect(offered.map((location) => location.handle)).toEqual(['Harbour Street Bakery', 'Market Square Bakery']);
    expect(channel).toMatchObject({ network: 'google_business', handle: 'Market Square Bakery' });
    const row = (await stack.db.query(`SELECT account_id, details FROM channels WHERE id = $1`, [channel.id])).rows[0];
    expect(row.account_id).toBe(offered[1]!.accountId);
    expect(row.details).toMatchObject({ locationPath: offered[1]!.accountId, title: 'Market Square Bakery' });
    const path = offered[1]!.accountId;
    expect(path).toMatch(/^accounts\/\d+\/locations\/\d+$/);

    const uploaded = await upload(stack.apiUrl, apiKey, await image('jpeg', 800, 600), 'loaves.jpg', 'image/jpeg');
    expect([200, 201]).toContain(uploaded.status);
    const text = 'Fresh sourdough every morning from 7. Order ahead: https://bakery.example/order';
    const post = await api('POST', '/v1/posts', { text, channelIds: [channel.id], media: [{ mediaId: uploaded.body.id }], schedule: { mode: 'now' } });
    expect(post.status).toBe(201);
    const done = await settled(post.body.id);
    expect(done.status).toBe('published');
    const [local, ...more] = await localPosts(handle);
    expect(more).toHaveLength(0);
    expect(local).toMatchObject({ text, media: [{ type: 'image', mimeType: 'image/jpeg', width: 800, height: 600 }] });
    expect(done.deliveries[0]!.externalId).toBe(local!.id);
    expect(await calls(handle)).toEqual(['GET /v1/accounts 200', expect.stringMatching(/^GET \/v1\/accounts\/\d+\/locations 200$/), `POST /v4/${path}/localPosts 200`]);
    // Google's own view of it: a STANDARD post whose call to action is the text's link.
    const token = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'google_business', handle } })).body.accessToken as string;
    const listed = (await http('GET', `${stack.networkUrl('google_business')}/v4/${path}/localPosts`, { token })).body.localPosts as Array<{ name: string; callToAction?: unknown; topicType: string }>;
    expect(listed).toEqual([expect.objectContaining({ name: `${path}/localPosts/${local!.id}`, topicType: 'STANDARD', callToAction: { actionType: 'LEARN_MORE', url: 'https://bakery.example/order' } })]);

    const unpublished = await api('POST', `/v1/posts/${post.body.id}/unpublish`);
    expect(unpublished.status).toBeLessThan(300);
    await waitFor(
      'the local post deleted',
      async () => {
        const view = (await api('GET', `/v1/posts/${post.body.id}`)).body as { deliveries: Array<{ status: string }> };
        return view.deliveries.every((delivery) => delivery.status === 'deleted') ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(await localPosts(handle)).toHaveLength(0);
    expect((await calls(handle)).at(-1)).toBe(`DELETE /v4/${path}/localPosts/${local!.id} 200`);
  });

  it('refuses at schedule time a summary over 1,500 characters, naming the rule; nothing reaches Google', async () => {
    const handle = unique('gbprule');
    const { channel } = await connect(handle, 0);
    const long = await api('POST', '/v1/posts', { text: 's'.repeat(1501), channelIds: [channel.id], schedule: { mode: 'now' } });
    expect(long.status).toBe(422);
    expect(long.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(long.body.detail).toMatch(/Google Business Profile/);
    expect(long.body.detail).toMatch(/1501.*1500|1500.*1501/);
    const fits = await api('POST', '/v1/posts', { text: 's'.repeat(1500), channelIds: [channel.id], schedule: { mode: 'now' } });
    expect(fits.status).toBe(201);
    expect((await settled(fits.body.id)).status).toBe('published');
    expect((await calls(handle)).filter((call) => call.startsWith('POST /v4/'))).toHaveLength(1);
  });

  it('a connection dropped after Google took the local post: found among the location\'s posts, not posted twice', async () => {
    const handle = unique('gbpdrop');
    const { channel, offered } = await connect(handle, 0);
    const path = offered[0]!.accountId;
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'google_business', handle, path: `/v4/${path}/localPosts`, method: 'POST', dropAfterAccept: true, times: 1 } });
    const post = await api('POST', '/v1/posts', { text: 'Closed on Monday for the bank holiday', channelIds: [channel.id], schedule: { mode: 'now' } });
    expect(post.status).toBe(201);
    const done = await settled(post.body.id);
    expect(done.status).toBe('published');
    const posts = await localPosts(handle);
    expect(posts).toHaveLength(1);
    expect(done.deliveries[0]!.externalId).toBe(posts[0]!.id);
    expect(done.deliveries[0]!.externalUrl).toContain(posts[0]!.id);
    const seen = await calls(handle);
    expect(seen.filter((call) => call.startsWith('POST /v4/'))).toHaveLength(1);
    expect(seen).toContain(`GET /v4/${path}/localPosts 200`);
  });

  it("the mock's origin answers as Google does: its errors, its readMask, its summary limit, another account's location not found", async () => {
    const handle = unique('gbpmock');
    const origin = stack.networkUrl('google_business');
    const token = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'google_business', handle } })).body.accessToken as string;
    const unauthenticated = await http('GET', `${origin}/v1/accounts`, { token: 'nope' });
    expect(unauthenticated).toMatchObject({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } });
    const account = ((await http('GET', `${origin}/v1/accounts`, { token })).body.accounts as Array<{ name: string }>)[0]!.name;
    expect((await http('GET', `${origin}/v1/${account}/locations`, { token })).body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    const locations = (await http('GET', `${origin}/v1/${account}/locations?readMask=name,title&pageSize=1`, { token })).body as { locations: Array<{ name: string }>; nextPageToken?: string };
    expect(locations.locations).toHaveLength(1);
    expect(locations.nextPageToken).toBeDefined();
    const path = `${account}/${locations.locations[0]!.name}`;
    const tooLong = await http('POST', `${origin}/v4/${path}/localPosts`, { token, body: { topicType: 'STANDARD', summary: 'x'.repeat(1501) } });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining('1500') } } });
    const badAction = await http('POST', `${origin}/v4/${path}/localPosts`, { token, body: { summary: 'Hi', callToAction: { actionType: 'VISIT', url: 'https://example.com' } } });
    expect(badAction.status).toBe(400);
    const event = await http('POST', `${origin}/v4/${path}/localPosts`, { token, body: { topicType: 'EVENT', summary: 'Tasting' } });
    expect(event.body.error.message).toMatch(/event\.title and event\.schedule/);
    const other = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'google_business', handle: unique('gbpother') } })).body.accessToken as string;
    expect((await http('POST', `${origin}/v4/${path}/localPosts`, { token: other, body: { summary: 'Not mine' } })).body).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    expect(await localPosts(handle)).toHaveLength(0);
  });

  /** A location of a fresh account on the mock, its token, and its local posts as Google lists them. */
  async function location(name: string) {
    const handle = unique(name);
    const origin = stack.networkUrl('google_business');
    const token = await mockToken(stack.mockUrl, 'google_business', handle);
    const account = ((await http('GET', `${origin}/v1/accounts`, { token: token.accessToken })).body.accounts as Array<{ name: string }>)[0]!.name;
    const first = ((await http('GET', `${origin}/v1/${account}/locations?readMask=name`, { token: token.accessToken })).body.locations as Array<{ name: string }>)[0]!.name;
    const path = `${account}/${first}`;
    const listed = async () => (await http('GET', `${origin}/v4/${path}/localPosts`, { token: token.accessToken })).body.localPosts as Array<Record<string, unknown>>;
    return { handle, origin, token, path, listed };
  }

  it('publishes an EVENT and an OFFER (networkOptions.google_business) with their fields as Google keeps them', async () => {
    const { handle, origin, token, path, listed } = await location('gbpevent');
    const adapter = new GoogleBusinessAdapter(ADAPTER_OPTIONS, origin);
    const details = { locationPath: path };
    const event = await adapter.publish(
      publishRequest(new KeptState(), token, handle, { text: 'Wine tasting on Friday', options: { topicType: 'EVENT', callToAction: { actionType: 'BOOK', url: 'https://bakery.example/book' }, event: { title: 'Wine tasting', startsAt: '2027-03-12T18:00', endsAt: '2027-03-12T22:30' } } }, details),
    );
    const offer = await adapter.publish(
      publishRequest(new KeptState(), token, handle, {
        text: 'Ten percent off in April https://bakery.example/april',
        options: { topicType: 'OFFER', event: { title: 'April offer', startsAt: '2027-04-01T08:00', endsAt: '2027-04-30T18:00' }, offer: { couponCode: 'APRIL10', redeemUrl: 'https://bakery.example/redeem', terms: 'One per visit' } },
      }, details),
    );
    const byId = new Map((await listed()).map((post) => [String(post.name).split('/').pop(), post]));
    expect(byId.get(event.externalId!)).toMatchObject({
      topicType: 'EVENT',
      callToAction: { actionType: 'BOOK', url: 'https://bakery.example/book' },
      event: { title: 'Wine tasting', schedule: { startDate: { year: 2027, month: 3, day: 12 }, startTime: { hours: 18, minutes: 0 }, endDate: { year: 2027, month: 3, day: 12 }, endTime: { hours: 22, minutes: 30 } } },
    });
    const kept = byId.get(offer.externalId!)!;
    expect(kept).toMatchObject({
      topicType: 'OFFER',
      event: { title: 'April offer', schedule: { startDate: { year: 2027, month: 4, day: 1 }, endDate: { year: 2027, month: 4, day: 30 } } },
      offer: { couponCode: 'APRIL10', redeemOnlineUrl: 'https://bakery.example/redeem', termsConditions: 'One per visit' },
    });
    // An offer's button is Google's own: the text's link is not made one.
    expect(kept.callToAction).toBeUndefined();
  });

  it("the mock's Google refuses an event without its event, one that ends before it starts, a button without a url but CALL, an offer with a button, in Google's error shape", async () => {
    const { handle, origin, token, path } = await location('gbpbad');
    const post = (body: Record<string, unknown>) => http('POST', `${origin}/v4/${path}/localPosts`, { token: token.accessToken, body: { summary: 'Hi', ...body } });
    const schedule = { startDate: { year: 2027, month: 3, day: 12 }, startTime: { hours: 18, minutes: 0 }, endDate: { year: 2027, month: 3, day: 12 }, endTime: { hours: 22, minutes: 0 } };
    const invalid = { status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT' } } };
    expect(await post({ topicType: 'OFFER' })).toMatchObject(invalid);
    expect(await post({ topicType: 'EVENT', event: { title: 'Tasting', schedule: { ...schedule, endTime: { hours: 17, minutes: 0 } } } })).toMatchObject({ ...invalid, body: { error: { message: expect.stringMatching(/ends before it starts/) } } });
    expect(await post({ callToAction: { actionType: 'ORDER' } })).toMatchObject(invalid);
    expect(await post({ topicType: 'OFFER', event: { title: 'Offer', schedule }, callToAction: { actionType: 'LEARN_MORE', url: 'https://example.com' } })).toMatchObject(invalid);
    expect(await post({ topicType: 'EVENT', event: { title: 'Tasting', schedule }, offer: { couponCode: 'X' } })).toMatchObject(invalid);
    expect((await post({ callToAction: { actionType: 'CALL' } })).status).toBe(200);
    expect((await post({ topicType: 'EVENT', event: { title: 'Tasting', schedule } })).status).toBe(200);
    expect(await localPosts(handle)).toHaveLength(2);
  });
});
