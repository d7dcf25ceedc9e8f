/** Google Business Profile's local posts against a scripted Google: what Herald sends, how it finds a post after a crash, and how it deletes one. */
import { REAL_ENDPOINTS } from '../../endpoints';
import { NetworkError } from '../../errors';
import { NetworkClient } from '../../http/network-client';
import { KeptState, ScriptedAnswer, ScriptedNetwork, SeenCall, mediaFile } from '../testing/scripted-network';
import { GoogleBusinessAdapter } from './google-business.adapter';

const LOCATION = 'accounts/7/locations/9';

class ScriptedGoogleBusiness extends GoogleBusinessAdapter {
  constructor(private readonly fake: ScriptedNetwork) {
    super({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: 5 }, 'https://mybusiness.googleapis.com');
  }
  protected override client(): NetworkClient {
    return this.fake.client((reply) => this.toError(reply));
  }
}

function google(answer: (call: SeenCall) => ScriptedAnswer) {
  const fake = new ScriptedNetwork(answer);
  return { adapter: new ScriptedGoogleBusiness(fake), fake };
}

const request = (text: string, media = [] as ReturnType<typeof mediaFile>[]) => ({ ...new KeptState().request(text, media, LOCATION), details: { locationPath: LOCATION } });

describe('Google Business Profile local posts', () => {
  it('sends a STANDARD post: the text as its summary, its first link a LEARN_MORE call to action, the photo by its signed link', async () => {
    const { adapter, fake } = google(() => ({ body: { name: `${LOCATION}/localPosts/55`, searchUrl: 'https://local.google.com/place?lpsid=55' } }));
    const photo = mediaFile('p1', 'image');
    const published = await adapter.publish(request('Open late on Friday: https://bakery.example/late.', [photo]));
    expect(published).toEqual({ externalId: '55', externalUrl: 'https://local.google.com/place?lpsid=55' });
    expect(fake.calls).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/v4/${LOCATION}/localPosts`,
        body: {
          languageCode: 'en',
          topicType: 'STANDARD',
          summary: 'Open late on Friday: https://bakery.example/late.',
          callToAction: { actionType: 'LEARN_MORE', url: 'https://bakery.example/late' },
          media: [{ mediaFormat: 'PHOTO', sourceUrl: photo.publicUrl }],
        },
      }),
    ]);
  });

  it('sends no call to action without a link, and refuses a channel that names no location', async () => {
    const { adapter, fake } = google(() => ({ body: { name: `${LOCATION}/localPosts/56` } }));
    await adapter.publish(request('Closed on Monday'));
    expect(fake.calls[0]!.body).toEqual({ languageCode: 'en', topicType: 'STANDARD', summary: 'Closed on Monday' });
    const bare = { ...new KeptState().request('x', [], '42') };
    await expect(adapter.publish(bare)).rejects.toMatchObject({ code: 'no_location' });
  });

  it('sends an EVENT with its title and schedule split from the wall times, and its own button; a CALL button without a url', async () => {
    const { adapter, fake } = google(() => ({ body: { name: `${LOCATION}/localPosts/57` } }));
    const event = { ...request('Wine tasting on Friday https://bakery.example/wine') };
    event.content.options = { topicType: 'EVENT', callToAction: { actionType: 'CALL' }, event: { title: 'Wine tasting', startsAt: '2027-03-12T18:00', endsAt: '2027-03-12T22:30' } };
    await adapter.publish(event);
    expect(fake.calls[0]!.body).toEqual({
      languageCode: 'en',
      summary: 'Wine tasting on Friday https://bakery.example/wine',
      topicType: 'EVENT',
      callToAction: { actionType: 'CALL' },
      event: { title: 'Wine tasting', schedule: { startDate: { year: 2027, month: 3, day: 12 }, startTime: { hours: 18, minutes: 0 }, endDate: { year: 2027, month: 3, day: 12 }, endTime: { hours: 22, minutes: 30 } } },
    });
  });

  it("sends an OFFER with its coupon, redeem link and terms, and no button (Google's own), even with a link in the text", async () => {
    const { adapter, fake } = google(() => ({ body: { name: `${LOCATION}/localPosts/58` } }));
    const offer = request('Ten percent off https://bakery.example/offer');
    offer.content.options = {
      topicType: 'OFFER',
      event: { title: 'Spring offer', startsAt: '2027-04-01T00:00', endsAt: '2027-04-30T23:59' },
      offer: { couponCode: 'SPRING10', redeemUrl: 'https://bakery.example/redeem', terms: 'One per visit' },
    };
    await adapter.publish(offer);
    expect(fake.calls[0]!.body).toEqual({
      languageCode: 'en',
      summary: 'Ten percent off https://bakery.example/offer',
      topicType: 'OFFER',
      event: { title: 'Spring offer', schedule: { startDate: { year: 2027, month: 4, day: 1 }, startTime: { hours: 0, minutes: 0 }, endDate: { year: 2027, month: 4, day: 30 }, endTime: { hours: 23, minutes: 59 } } },
      offer: { couponCode: 'SPRING10', redeemOnlineUrl: 'https://bakery.example/redeem', termsConditions: 'One per visit' },
    });
  });

  it("finds a post after a crash among the location's local posts since the claim, by its summary", async () => {
    const now = Date.now();
    const { adapter, fake } = google((call) =>
      call.query.pageToken
        ? { body: { localPosts: [{ name: `${LOCATION}/localPosts/1`, summary: 'Sale', createTime: new Date(now - 3_600_000).toISOString() }] } }
        : { body: { localPosts: [{ name: `${LOCATION}/localPosts/3`, summary: 'Other', createTime: new Date(now).toISOString() }], nextPageToken: 'next' } },
    );
    const lookup = { ...request('Sale'), since: new Date(now - 60_000), excludeExternalIds: new Set<string>() };
    expect(await adapter.lookup(lookup)).toBeNull();
    expect(fake.calls.map((call) => `${call.method} ${call.path} ${call.query.pageToken ?? ''}`)).toEqual([`GET /v4/${LOCATION}/localPosts `, `GET /v4/${LOCATION}/localPosts next`]);
    const { adapter: found } = google(() => ({ body: { localPosts: [{ name: `${LOCATION}/localPosts/4`, summary: 'Sale', createTime: new Date(now).toISOString(), searchUrl: 'https://local.google.com/4' }] } }));
    expect(await found.lookup(lookup)).toEqual({ externalId: '4', externalUrl: 'https://local.google.com/4' });
  });

  it("deletes by the post's name; Google's NOT_FOUND is a post already gone; another refusal is thrown", async () => {
    const { adapter, fake } = google((call) => (call.path.endsWith('/55') ? { body: {} } : { status: 404, body: { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' } } }));
    const context = { credentials: { handle: 'h', accessToken: 't', accountId: LOCATION }, details: { locationPath: LOCATION } };
    expect(await adapter.delete({ ...context, externalId: '55' })).toBe('deleted');
    expect(await adapter.delete({ ...context, externalId: '56' })).toBe('gone');
    expect(fake.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`DELETE /v4/${LOCATION}/localPosts/55`, `DELETE /v4/${LOCATION}/localPosts/56`]);
    const { adapter: refusing } = google(() => ({ status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } } }));
    await expect(refusing.delete({ ...context, externalId: '55' })).rejects.toBeInstanceOf(NetworkError);
  });
});
