/**
 * A Mastodon instance as the gate sees it: errors `{error}` (422 for what
 * it refuses), `X-RateLimit-*` headers (reset as an ISO time), tokens that
 * belong to this instance only, its configuration (`GET /api/v2/instance`)
 * and its accounts as the API shows them.
 */
import { bearerOf } from '../../auth/tokens';
import { Account, numericIdOf } from '../../accounts';
import { NetworkFace } from '../../gate';
import { headerOf } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { ShownProfile } from '../../profiles';
import { MockWorld } from '../../world';

export const MASTODON_ERRORS: ErrorFormat = {
  invalidStatus: 422,
  body: (_status, kind, message) => ({
    error: kind === 'invalid' ? `Validation failed: ${message}` : kind === 'rate_limited' && message === 'Too Many Requests' ? 'Too many requests' : kind === 'not_found' ? 'Record not found' : message,
  }),
  // Mastodon's `X-RateLimit-*` (sent lowercase, as Fastify writes header names; they are case-insensitive). Reset: an ISO 8601 time, not epoch.
  rateLimitHeaders: (state) => ({
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': new Date(state.resetAtMs).toISOString(),
  }),
  // 300 requests per 5 minutes per account.
  usualLimit: { limit: 300, windowSeconds: 300 },
};

export const INVALID_TOKEN = { status: 401, body: { error: 'The access token is invalid' } };

/** One instance: its name, its URL, and the limits its configuration announces. */
export interface MastodonInstance {
  name: 'one' | 'two';
  url: string;
  maxCharacters: number;
  maxMediaAttachments: number;
}

export const SUPPORTED_MIME_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif', 'video/webm', 'video/mp4', 'video/quicktime', 'video/ogg', 'audio/wave', 'audio/wav', 'audio/x-wav', 'audio/mpeg', 'audio/mp3', 'audio/ogg', 'audio/flac'];
export const IMAGE_SIZE_LIMIT = 16 * 1024 * 1024;
export const VIDEO_SIZE_LIMIT = 99 * 1024 * 1024;
export const DESCRIPTION_LIMIT = 1500;

export function mastodonFace(world: MockWorld, instance: MastodonInstance): NetworkFace {
  return {
    network: 'mastodon',
    instance: instance.name,
    get instanceUrl() {
      return instance.url;
    },
    errors: MASTODON_ERRORS,
    authenticate(request) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'mastodon', instance.url);
      if (checked.state === 'valid') return { account: checked.grant };
      return { refusal: INVALID_TOKEN, ...(checked.state !== 'unknown' ? { handle: checked.grant.handle } : {}) };
    },
  };
}

export function accountIdOf(instance: Pick<MastodonInstance, 'name'>, handle: string): string {
  return numericIdOf(handle, `mastodon-${instance.name}:`);
}

/** An account as Mastodon's API shows it (its id for good, its name and avatar as they are now). */
export function toAccount(instance: MastodonInstance, account: Account, statusesCount: number, shown?: ShownProfile) {
  const username = shown?.handle ?? account.handle;
  const url = `${instance.url}/@${username}`;
  const avatar = shown ? `${instance.url}${shown.avatarPath}` : `${instance.url}/avatars/original/missing.png`;
  return {
    id: accountIdOf(instance, account.handle),
    username,
    acct: username,
    display_name: shown?.displayName ?? username,
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url,
    uri: `${instance.url}/users/${username}`,
    avatar,
    avatar_static: avatar,
    header: `${instance.url}/headers/original/missing.png`,
    header_static: `${instance.url}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: statusesCount,
    last_status_at: null,
    emojis: [],
    fields: [],
  };
}

/** `GET /api/v2/instance`, as Mastodon 4.3 answers it. */
export function instanceDocument(instance: MastodonInstance) {
  const domain = new URL(instance.url).host;
  return {
    domain,
    title: `Mock Mastodon ${instance.name}`,
    version: '4.3.0',
    source_url: 'https://github.com/mastodon/mastodon',
    description: `The mock's Mastodon instance "${instance.name}".`,
    usage: { users: { active_month: 1 } },
    thumbnail: { url: `${instance.url}/packs/media/images/preview.png` },
    languages: ['en'],
    configuration: {
      urls: { streaming: instance.url.replace(/^http/, 'ws') },
      vapid: { public_key: 'BMockVapidKey' },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      statuses: { max_characters: instance.maxCharacters, max_media_attachments: instance.maxMediaAttachments, characters_reserved_per_url: 23 },
      media_attachments: {
        supported_mime_types: SUPPORTED_MIME_TYPES,
        description_limit: DESCRIPTION_LIMIT,
        image_size_limit: IMAGE_SIZE_LIMIT,
        image_matrix_limit: 33177600,
        video_size_limit: VIDEO_SIZE_LIMIT,
        video_frame_rate_limit: 120,
        video_matrix_limit: 8294400,
      },
      polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
      translation: { enabled: false },
    },
    registrations: { enabled: false, approval_required: false, message: null },
    api_versions: { mastodon: 2 },
    contact: { email: `admin@${domain}`, account: null },
    rules: [],
  };
}
