/**
 * A Mastodon instance's REST API: `GET /api/v2/instance`, `verify_credentials`,
 * `POST /api/v1/statuses` honouring `Idempotency-Key` (the same key from the
 * same account within an hour answers the same status), media
 * (`POST /api/v2/media` multipart `file` and `description`, or the mock's
 * older JSON `{url, description}`; `GET`/`PUT /api/v1/media/:id`), a status
 * (`GET /api/v1/statuses/:id`), and an
 * account's statuses as Mastodon pages them (`limit` up to 40, `max_id`,
 * a `Link` header naming the next page).
 */
import type { FastifyInstance } from 'fastify';
import { Account } from '../../accounts';
import { checkContent, ContentRefused } from '../../gate';
import { fieldsOf, filesOf, headerOf, queryOf, send, stringField } from '../../http/answer';
import { imageSize } from '../../http/image-size';
import { MockPost, StagedMedia, postedMedia } from '../../store';
import { MockWorld } from '../../world';
import { IMAGE_SIZE_LIMIT, MastodonInstance, SUPPORTED_MIME_TYPES, accountIdOf, instanceDocument, mastodonFace, toAccount } from './mastodon.face';
import { registerMastodonOAuth } from './mastodon.oauth';

const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'];

export function registerMastodon(app: FastifyInstance, world: MockWorld, instance: MastodonInstance): void {
  const face = mastodonFace(world, instance);
  const { gate, store } = world;
  registerMastodonOAuth(app, world, instance);
  const accountOf = (account: Account) => toAccount(instance, account, store.postsOf(account).length);
  const mediaEntity = (id: string, media: StagedMedia) => ({
    id,
    type: (media.mimeType ?? 'image/').split('/')[0] === 'video' ? 'video' : 'image',
    url: media.url ?? `${instance.url}/system/media_attachments/files/${id}/original`,
    preview_url: media.url ?? `${instance.url}/system/media_attachments/files/${id}/small`,
    remote_url: null,
    text_url: null,
    meta: media.width ? { original: { width: media.width, height: media.height, size: `${media.width}x${media.height}`, aspect: media.width / media.height! } } : {},
    description: media.alt ?? null,
    blurhash: null,
  });

  app.get('/api/v2/instance', (_request, reply) => send(reply, { status: 200, body: instanceDocument(instance) }));

  app.get('/api/v1/accounts/verify_credentials', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: { ...accountOf(account), source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] } },
    })),
  );

  app.post('/api/v2/media', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const fields = fieldsOf(request);
      const file = filesOf(request).find((item) => item.field === 'file');
      const url = stringField(fields, 'url');
      const description = stringField(fields, 'description');
      if (!file && !url) throw new ContentRefused("File can't be blank");
      if (description !== undefined && Array.from(description).length > 1500) throw new ContentRefused('Description is too long (maximum is 1500 characters)');
      let media: Omit<StagedMedia, 'status' | 'owner'>;
      if (file) {
        if (!SUPPORTED_MIME_TYPES.includes(file.mimeType)) throw new ContentRefused('File content type is invalid');
        if (file.data.length > IMAGE_SIZE_LIMIT) throw new ContentRefused('File file size must be less than 16 MB');
        media = { mimeType: file.mimeType, size: file.data.length, ...imageSize(file.data), ...(description !== undefined ? { alt: description } : {}) };
      } else media = { url: url!, ...(description !== undefined ? { alt: description } : {}) };
      const id = store.nextId();
      store.stage(account, media, id);
      return { status: 200, body: mediaEntity(id, store.stagedOf(account, id)!) };
    }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/media/:id', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const media = store.stagedOf(account, request.params.id);
      return media ? { status: 200, body: mediaEntity(request.params.id, media) } : { status: 404, body: { error: 'Record not found' } };
    }),
  );

  app.put<{ Params: { id: string } }>('/api/v1/media/:id', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const media = store.stagedOf(account, request.params.id);
      if (!media) return { status: 404, body: { error: 'Record not found' } };
      const description = stringField(fieldsOf(request), 'description');
      if (description !== undefined) media.alt = description;
      return { status: 200, body: mediaEntity(request.params.id, media) };
    }),
  );

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
      const missing = ids.filter((id) => !store.stagedOf(account, id));
      if (missing.length > 0) return { status: 422, body: { error: `${missing.join(', ')} not found` } };
      const media = ids.map((id) => postedMedia(store.stagedOf(account, id)!));
      checkContent('mastodon', text, media, { maxLength: instance.maxCharacters });
      const post = store.accept(account, text, media, { idempotencyKey: key, visibility, language });
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
    media_attachments: post.media.map((item, index) => ({
      id: `${post.id}${index}`,
      type: 'image',
      url: item.url ?? `${instance.url}/system/media_attachments/files/${post.id}${index}/original`,
      description: item.alt ?? null,
    })),
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  };
}
