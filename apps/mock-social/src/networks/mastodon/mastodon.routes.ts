/**
 * A Mastodon instance's REST API: `GET /api/v2/instance`, `verify_credentials`,
 * `POST /api/v1/statuses` honouring `Idempotency-Key` (the same key from the
 * same account within an hour answers the same status) with its `media_ids`
 * (see mastodon.media.ts for the uploads and their checks), a status
 * (`GET /api/v1/statuses/:id`), and an
 * account's statuses as Mastodon pages them (`limit` up to 40, `max_id`,
 * a `Link` header naming the next page).
 */
import type { FastifyInstance } from 'fastify';
import { Account } from '../../accounts';
import { checkContent, ContentRefused } from '../../gate';
import { fieldsOf, headerOf, queryOf, send, stringField } from '../../http/answer';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { MastodonInstance, accountIdOf, instanceDocument, mastodonFace, toAccount } from './mastodon.face';
import { attachableMedia, postedMastodonMedia, registerMastodonMedia } from './mastodon.media';
import { registerMastodonOAuth } from './mastodon.oauth';

const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'];

export function registerMastodon(app: FastifyInstance, world: MockWorld, instance: MastodonInstance): void {
  const face = mastodonFace(world, instance);
  const { gate, store } = world;
  registerMastodonOAuth(app, world, instance);
  const accountOf = (account: Account) => toAccount(instance, account, store.postsOf(account).length);
  app.get('/api/v2/instance', (_request, reply) => send(reply, { status: 200, body: instanceDocument(instance) }));

  app.get('/api/v1/accounts/verify_credentials', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: { ...accountOf(account), source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] } },
    })),
  );

  registerMastodonMedia(app, world, instance, face);

  app.post('/api/v1/statuses', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const key = headerOf(request, 'idempotency-key') ?? null;
      const earlier = key ? store.idempotentPost(account, key) : undefined;
      if (earlier) return { status: 200, body: toStatus(instance, earlier, accountOf(account)) };
      const fields = fieldsOf(request);
      const text = stringField(fields, 'status') ?? '';
      const visibility = stringField(fields, 'visibility') ?? 'public';
      if (!VISIBILITIES.includes(visibility)) throw new ContentRefused('Visibility is not included in the list');
      // ISO 639 (two or three letters), as Mastodon validates a status's language; none given: the account's.
      const language = stringField(fields, 'language') ?? 'en';
      if (!/^[a-z]{2,3}$/.test(language)) throw new ContentRefused('Language is not a valid ISO 639 code');
      const raw = fields.media_ids;
      const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      const attached = attachableMedia(world, account, ids, instance.maxMediaAttachments);
      if ('refusal' in attached) return attached.refusal;
      const media = attached.media.map(postedMastodonMedia);
      checkContent('mastodon', text, media, { maxLength: instance.maxCharacters });
      const post = store.accept(account, text, media, { idempotencyKey: key, visibility, language, record: attached.media.map((item) => item.id) });
      for (const item of attached.media) item.statusId = post.id;
      if (key) store.rememberIdempotent(account, key, post);
      return { status: 200, body: toStatus(instance, post, accountOf(account)) };
    }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/statuses/:id', (request, reply) =>
    gate.run(face, request, reply, () => {
      const post = store.find(request.params.id);
      if (!post || post.network !== 'mastodon' || post.instanceUrl !== instance.url) return { status: 404, body: { error: 'Record not found' } };
      return { status: 200, body: toStatus(instance, post, accountOf({ network: 'mastodon', handle: post.handle, instanceUrl: instance.url })) };
    }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/accounts/:id/statuses', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (request.params.id !== accountIdOf(instance, account.handle)) return { status: 404, body: { error: 'Record not found' } };
      const query = queryOf(request);
      const limit = Math.min(40, Math.max(1, Number(query.limit) || 20));
      const maxId = query.max_id ? store.find(query.max_id) : undefined;
      if (query.max_id && !maxId) return { status: 200, body: [] };
      const page = store.timeline(account, { limit, beforePosition: maxId?.position });
      const last = page.posts[page.posts.length - 1];
      const headers: Record<string, string> = {};
      const base = `${instance.url}${request.url.split('?')[0]}`;
      if (page.nextBefore !== undefined && last) headers.link = `<${base}?limit=${limit}&max_id=${encodeURIComponent(last.id)}>; rel="next"`;
      const owner = accountOf(account);
      return { status: 200, body: page.posts.map((post) => toStatus(instance, post, owner)), headers };
    }),
  );
}

function toStatus(instance: MastodonInstance, post: MockPost, account: ReturnType<typeof toAccount>) {
  return {
    id: post.id,
    created_at: post.receivedAt,
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: post.visibility ?? 'public',
    language: post.language ?? 'en',
    uri: `${instance.url}/users/${post.handle}/statuses/${post.id}`,
    url: `${instance.url}/@${post.handle}/${post.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    content: `<p>${post.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
    text: post.text,
    account,
    media_attachments: ((post.record as string[] | undefined) ?? []).map((id, index) => ({
      id,
      type: post.media[index]!.type,
      url: `${instance.url}/system/media_attachments/files/${id}/original`,
      description: post.media[index]!.alt || null,
    })),
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  };
}
