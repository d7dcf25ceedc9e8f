/**
 * Google Business Profile at its own origin: Google's OAuth
 * (`business.manage`), the person's business account (`GET /v1/accounts`,
 * Account Management API), its two locations (`GET
 * /v1/accounts/{a}/locations`, `GET /v1/locations/{l}`, Business
 * Information API: `readMask` required), and each location's local posts
 * (v4): created (`POST .../localPosts`, the post), listed newest first with
 * a `pageToken`, deleted (`DELETE .../localPosts/{p}`, an empty answer).
 * Its own rules: a summary of at most 1,500 characters; `STANDARD` needs a
 * summary or a photo, `EVENT` and `OFFER` an `event` with a title and a
 * schedule (dates, times of day, an end not before the start), an offer
 * only on `OFFER` and no call to action there (its button is Google's); a
 * call to action of Google's types with a URL (but `CALL`);
 * photos fetched from `sourceUrl`, JPEG or PNG, at most 5 MB, at least 250
 * pixels a side. A location that is not the account's is `NOT_FOUND`.
 */
import type { FastifyInstance } from 'fastify';
import { numericIdOf } from '../../accounts';
import { ContentRefused, Principal } from '../../gate';
import { fieldsOf, queryOf } from '../../http/answer';
import { fetchPublicMedia } from '../../media/fetch-public';
import { MediaFacts } from '../../media/inspect';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { registerGoogleOAuth } from '../youtube/youtube.oauth';
import { GOOGLE_BUSINESS_ERRORS, googleBusinessFace, googleStatus } from './google-business.face';

const SCOPES = new Set(['https://www.googleapis.com/auth/business.manage', 'https://www.googleapis.com/auth/plus.business.manage', 'openid', 'email', 'profile']);
const MAX_SUMMARY = 1500;
const MAX_PHOTOS = 10;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const MIN_PHOTO_SIDE = 250;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);
const TOPICS = new Set(['STANDARD', 'EVENT', 'OFFER']);
const ACTIONS = new Set(['BOOK', 'ORDER', 'SHOP', 'LEARN_MORE', 'SIGN_UP', 'CALL']);

interface LocalPostRecord {
  location: string;
  topicType: string;
  callToAction: unknown;
  event: unknown;
  offer: unknown;
  sources: string[];
}

/** The account's business account: one, with an id stable per handle. */
export function businessAccountOf(handle: string): string {
  return numericIdOf(handle, 'gbp-account');
}

/** The account's locations: two, with ids stable per handle. */
export function locationsOf(handle: string): Array<{ id: string; title: string; locality: string }> {
  return [
    { id: numericIdOf(handle, 'gbp-location-1'), title: 'Harbour Street Bakery', locality: 'Brighton' },
    { id: numericIdOf(handle, 'gbp-location-2'), title: 'Market Square Bakery', locality: 'Lewes' },
  ];
}

export function registerGoogleBusiness(app: FastifyInstance, world: MockWorld): void {
  const face = googleBusinessFace(world);
  const { gate, store } = world;
  registerGoogleOAuth(app, world, 'google_business', SCOPES);
  const refuse = (message: string) => new ContentRefused(message, { status: 400, body: GOOGLE_BUSINESS_ERRORS.body(400, 'invalid', message) });
  const notFound = { status: 404, body: googleStatus(404, 'NOT_FOUND', 'Requested entity was not found.') };
  const owns = (account: Principal, accountId: string, locationId: string) => accountId === businessAccountOf(account.handle) && locationsOf(account.handle).some((location) => location.id === locationId);
  const toLocation = (account: Principal, location: ReturnType<typeof locationsOf>[number]) => ({
    name: `locations/${location.id}`,
    title: location.title,
    storefrontAddress: { regionCode: 'GB', locality: location.locality, addressLines: ['1 High Street'] },
    metadata: { mapsUri: `https://maps.google.com/maps?cid=${location.id}`, placeId: `ChIJ${numericIdOf(account.handle, location.id)}` },
  });
  const pageSizeOf = (value: string | undefined, max: number, fallback: number) => {
    const size = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(size) || size < 1 || size > max) throw refuse(`pageSize must be 1 to ${max}`);
    return size;
  };
  const startOf = (token: string | undefined) => {
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw refuse('Invalid page token');
    return start;
  };
  const needReadMask = (query: Record<string, string | undefined>) => {
    if (!query.readMask) throw refuse('Request contains an invalid argument: read_mask is required');
  };

  app.get('/v1/accounts', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      pageSizeOf(queryOf(request).pageSize, 20, 20);
      const name = world.profiles.of(account).displayName;
      return { status: 200, body: { accounts: [{ name: `accounts/${businessAccountOf(account.handle)}`, accountName: name, type: 'PERSONAL', verificationState: 'VERIFIED', vettedState: 'NOT_VETTED' }] } };
    }),
  );

  app.get<{ Params: { account: string } }>('/v1/accounts/:account/locations', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const query = queryOf(request);
      needReadMask(query);
      const size = pageSizeOf(query.pageSize, 100, 10);
      if (request.params.account !== businessAccountOf(account.handle)) return { status: 403, body: googleStatus(403, 'PERMISSION_DENIED', 'The caller does not have permission') };
      const all = locationsOf(account.handle);
      const start = startOf(query.pageToken);
      const more = start + size < all.length;
      return { status: 200, body: { locations: all.slice(start, start + size).map((location) => toLocation(account, location)), ...(more ? { nextPageToken: Buffer.from(String(start + size)).toString('base64url') } : {}) } };
    }),
  );

  app.get<{ Params: { location: string } }>('/v1/locations/:location', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      needReadMask(queryOf(request));
      const location = locationsOf(account.handle).find((owned) => owned.id === request.params.location);
      return location ? { status: 200, body: toLocation(account, location) } : notFound;
    }),
  );

  app.post<{ Params: { account: string; location: string } }>('/v4/accounts/:account/locations/:location/localPosts', (request, reply) =>
    gate.run(face, request, reply, async (account) => {
      const { account: accountId, location } = request.params;
      if (!owns(account, accountId, location)) return notFound;
      const body = fieldsOf(request);
      const topicType = body.topicType ?? 'STANDARD';
      if (typeof topicType !== 'string' || !TOPICS.has(topicType)) throw refuse(`Invalid value at 'local_post.topic_type': ${String(topicType)}`);
      const summary = body.summary ?? '';
      if (typeof summary !== 'string') throw refuse("Invalid value at 'local_post.summary'");
      if (Array.from(summary).length > MAX_SUMMARY) throw refuse(`Request contains an invalid argument: summary is longer than ${MAX_SUMMARY} characters`);
      const action = callToActionOf(body.callToAction, refuse);
      if (topicType === 'OFFER' && action) throw refuse('Request contains an invalid argument: an OFFER post takes no callToAction (its button is Redeem online)');
      if (topicType !== 'STANDARD') eventOf(body.event, topicType, refuse);
      if (body.offer !== undefined && topicType !== 'OFFER') throw refuse(`Request contains an invalid argument: offer is only for OFFER posts, not ${topicType}`);
      if (topicType === 'OFFER') offerOf(body.offer, refuse);
      const media = Array.isArray(body.media) ? body.media : body.media === undefined ? [] : undefined;
      if (!media || media.length > MAX_PHOTOS) throw refuse(`media must be a list of at most ${MAX_PHOTOS} items`);
      const photos: MediaFacts[] = [];
      const sources: string[] = [];
      for (const item of media as Array<{ mediaFormat?: unknown; sourceUrl?: unknown }>) {
        if (item?.mediaFormat !== 'PHOTO') throw refuse('Only PHOTO media is supported in local posts');
        if (typeof item.sourceUrl !== 'string') throw refuse('media.sourceUrl is required');
        const fetched = await fetchPublicMedia(item.sourceUrl, MAX_PHOTO_BYTES);
        if (!fetched.ok) throw refuse(`The photo could not be fetched from sourceUrl: ${fetched.message}`);
        const facts = fetched.facts;
        if (facts.type !== 'image' || !PHOTO_TYPES.has(facts.mimeType)) throw refuse('The photo must be a JPEG or PNG');
        if ((facts.width ?? 0) < MIN_PHOTO_SIDE || (facts.height ?? 0) < MIN_PHOTO_SIDE) throw refuse(`The photo must be at least ${MIN_PHOTO_SIDE} × ${MIN_PHOTO_SIDE} pixels`);
        photos.push(facts);
        sources.push(item.sourceUrl);
      }
      if (summary === '' && photos.length === 0) throw refuse('A local post needs a summary or a photo');
      const record: LocalPostRecord = { location: `accounts/${accountId}/locations/${location}`, topicType, callToAction: action ?? null, event: body.event ?? null, offer: body.offer ?? null, sources };
      const post = store.accept(account, summary, photos, { record: record as unknown as Record<string, unknown> });
      return { status: 200, body: toLocalPost(post) };
    }),
  );

  app.get<{ Params: { account: string; location: string } }>('/v4/accounts/:account/locations/:location/localPosts', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { account: accountId, location } = request.params;
      if (!owns(account, accountId, location)) return notFound;
      const query = queryOf(request);
      const size = pageSizeOf(query.pageSize, 100, 20);
      const start = startOf(query.pageToken);
      const path = `accounts/${accountId}/locations/${location}`;
      const posts = store
        .postsOf(account)
        .filter((post) => recordOf(post).location === path)
        .reverse();
      const more = start + size < posts.length;
      return { status: 200, body: { localPosts: posts.slice(start, start + size).map(toLocalPost), ...(more ? { nextPageToken: Buffer.from(String(start + size)).toString('base64url') } : {}) } };
    }),
  );

  // accounts.locations.localPosts.delete: an empty answer; a post that is not there (or not this location's) is NOT_FOUND.
  app.delete<{ Params: { account: string; location: string; post: string } }>('/v4/accounts/:account/locations/:location/localPosts/:post', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const { account: accountId, location, post: id } = request.params;
      if (!owns(account, accountId, location)) return notFound;
      const post = store.find(id);
      if (post?.network !== 'google_business' || post.handle !== account.handle || recordOf(post).location !== `accounts/${accountId}/locations/${location}`) return notFound;
      store.remove(post.id);
      return { status: 200, body: {} };
    }),
  );
}

function callToActionOf(given: unknown, refuse: (message: string) => Error): { actionType: string; url?: string } | undefined {
  if (given === undefined || given === null) return undefined;
  const action = given as { actionType?: unknown; url?: unknown };
  if (typeof action.actionType !== 'string' || !ACTIONS.has(action.actionType)) throw refuse(`Invalid value at 'local_post.call_to_action.action_type': ${String(action.actionType)}`);
  if (action.actionType === 'CALL') return { actionType: 'CALL' };
  if (typeof action.url !== 'string' || !/^https?:\/\/\S+$/u.test(action.url)) throw refuse('callToAction.url must be an http(s) URL');
  return { actionType: action.actionType, url: action.url };
}

/** An event's title and schedule, judged: dates that are dates, times of day that are times, an end not before the start. */
function eventOf(given: unknown, topicType: string, refuse: (message: string) => Error): void {
  const event = (given ?? {}) as { title?: unknown; schedule?: unknown };
  if (typeof event.title !== 'string' || event.title === '' || typeof event.schedule !== 'object' || event.schedule === null) throw refuse(`An ${topicType} post needs event.title and event.schedule`);
  if (Array.from(event.title).length > 58) throw refuse('Request contains an invalid argument: event.title is longer than 58 characters');
  const schedule = event.schedule as Record<string, unknown>;
  const start = instantOf(schedule.startDate, schedule.startTime, 'start', refuse);
  const end = instantOf(schedule.endDate, schedule.endTime, 'end', refuse);
  if (end < start) throw refuse('Request contains an invalid argument: event.schedule ends before it starts');
}

/** A `google.type.Date` and an optional `TimeOfDay` as minutes since 1970 (wall time: only their order matters). */
function instantOf(date: unknown, time: unknown, side: string, refuse: (message: string) => Error): number {
  const { year, month, day } = (date ?? {}) as { year?: unknown; month?: unknown; day?: unknown };
  const whole = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  if (!whole(year, 1, 9999) || !whole(month, 1, 12) || !whole(day, 1, 31)) throw refuse(`Invalid value at 'local_post.event.schedule.${side}_date'`);
  const { hours = 0, minutes = 0 } = (time ?? {}) as { hours?: unknown; minutes?: unknown };
  if (!whole(hours, 0, 23) || !whole(minutes, 0, 59)) throw refuse(`Invalid value at 'local_post.event.schedule.${side}_time'`);
  const days = Date.UTC(year as number, (month as number) - 1, day as number) / 86_400_000;
  return days * 1440 + (hours as number) * 60 + (minutes as number);
}

/** An offer's coupon, redeem link and terms, judged. */
function offerOf(given: unknown, refuse: (message: string) => Error): void {
  if (given === undefined) return;
  const offer = (given ?? {}) as { couponCode?: unknown; redeemOnlineUrl?: unknown; termsConditions?: unknown };
  if (offer.couponCode !== undefined && typeof offer.couponCode !== 'string') throw refuse("Invalid value at 'local_post.offer.coupon_code'");
  if (offer.redeemOnlineUrl !== undefined && (typeof offer.redeemOnlineUrl !== 'string' || !/^https?:\/\/\S+$/u.test(offer.redeemOnlineUrl))) throw refuse('Request contains an invalid argument: offer.redeemOnlineUrl must be an http(s) URL');
  if (offer.termsConditions !== undefined && typeof offer.termsConditions !== 'string') throw refuse("Invalid value at 'local_post.offer.terms_conditions'");
}

function recordOf(post: MockPost): Partial<LocalPostRecord> {
  return (post.record ?? {}) as Partial<LocalPostRecord>;
}

function toLocalPost(post: MockPost) {
  const record = recordOf(post);
  const name = `${record.location}/localPosts/${post.id}`;
  return {
    name,
    languageCode: 'en',
    summary: post.text,
    ...(record.callToAction ? { callToAction: record.callToAction } : {}),
    ...(record.event ? { event: record.event } : {}),
    ...(record.offer ? { offer: record.offer } : {}),
    createTime: post.createdAt,
    updateTime: post.createdAt,
    state: 'LIVE',
    topicType: record.topicType ?? 'STANDARD',
    searchUrl: `https://local.google.com/place?id=${encodeURIComponent(record.location ?? '')}&use=posts&lpsid=${post.id}`,
    media: post.media.map((item, index) => ({ name: `${name}/media/${index}`, mediaFormat: 'PHOTO', sourceUrl: record.sources?.[index], googleUrl: `https://lh3.googleusercontent.com/p/${post.id}-${index}`, dimensions: { widthPixels: item.width, heightPixels: item.height } })),
  };
}
