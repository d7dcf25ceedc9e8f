/**
 * A Mastodon instance's REST API: `GET /api/v2/instance`, `verify_credentials`,
 * `POST /api/v1/statuses` honouring `Idempotency-Key` (the same key from the
 * same account within an hour answers the same status) with its `media_ids`
 * (see mastodon.media.ts for the uploads and their checks) and
 * `in_reply_to_id` (a status this instance does not have: 404, as
 * Mastodon's `set_thread` answers), a status (`GET /api/v1/statuses/:id`),
 * `DELETE /api/v1/statuses/:id` (one's own: the deleted status answered),
 * and an account's statuses as Mastodon pages them (`limit` up to 40,
 * `max_id`, `min_id`, `since_id`, replies unless `exclude_replies`, a
 * `Link` header naming the next page and the previous one).
 */
import type { FastifyInstance } from 'fastify';
import { Account } from '../../accounts';
import { refusalsOf } from '../../content-rules';
import { ContentRefused } from '../../gate';
import { fieldsOf, headerOf, queryOf, send, stringField } from '../../http/answer';
import { MockPost, MockStore } from '../../store';
import { MockWorld } from '../../world';
import { MastodonInstance, accountIdOf, instanceDocument, mastodonFace, toAccount } from './mastodon.face';
import { attachableMedia, postedMastodonMedia, registerMastodonMedia } from './mastodon.media';
import { registerMastodonOAuth } from './mastodon.oauth';

const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'];

export function registerMastodon(app: FastifyInstance, world: MockWorld, instance: MastodonInstance): void {
  const face = mastodonFace(world, instance);
  const { gate, store } = world;
  registerMastodonOAuth(app, world, instance);
  const accountOf = (account: Account) => toAccount(instance, account, store.postsOf(account).length, world.profiles.of(account));
  app.get('/api/v2/instance', (_request, reply) => send(reply, { status: 200, body: instanceDocument(instance) }));

  app.get('/api/v1/accounts/verify_credentials', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: {
        ...accountOf(account),
        followers_count: world.accountMetrics.of('mastodon', account.handle, 'followers_count'),
        following_count: world.accountMetrics.of('mastodon', account.handle, 'following_count'),
        statuses_count: world.accountMetrics.of('mastodon', account.handle, 'statuses_count', store.postsOf(account).length),
        source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] } },
    })),
  );

  registerMastodonMedia(app, world, instance, face);

  app.post('/api/v1/statuses', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const fields = fieldsOf(request);
      // Mastodon finds the parent before anything else (its `set_thread` runs first), so a missing one is a 404 even for a repeated key.
      const inReplyTo = stringField(fields, 'in_reply_to_id');
      const thread = inReplyTo ? store.find(inReplyTo) : undefined;
      if (inReplyTo && (thread?.network !== 'mastodon' || thread.instanceUrl !== instance.url)) return IN_REPLY_NOT_FOUND;
      const key = headerOf(request, 'idempotency-key') ?? null;
      const earlier = key ? store.idempotentPost(account, key) : undefined;
      if (earlier) return { status: 200, body: toStatus(instance, earlier, accountOf(account), store) };
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
      // Mastodon's StatusLengthValidator in its own words (`statuses.over_character_limit`); the other reasons in the mock's.
      const refusals = refusalsOf('mastodon', text, media, { maxLength: instance.maxCharacters });
      if (refusals.length > 0) throw new ContentRefused(refusals.map((refusal) => (refusal.kind === 'too_long' ? `Text character limit of ${refusal.max} exceeded` : refusal.message)).join(', '));
      const post = store.accept(account, text, media, {
        idempotencyKey: key,
        visibility,
        language,
        record: attached.media.map((item) => item.id),
        ...(thread ? { replyTo: { kind: 'reply', id: thread.id } } : {}),
      });
      for (const item of attached.media) item.statusId = post.id;
      if (key) store.rememberIdempotent(account, key, post);
      return { status: 200, body: toStatus(instance, post, accountOf(account), store) };
    }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/statuses/:id', (request, reply) =>
    gate.run(face, request, reply, () => {
      const post = store.find(request.params.id);
      if (!post || post.network !== 'mastodon' || post.instanceUrl !== instance.url) return { status: 404, body: { error: 'Record not found' } };
      // Its counts as they stand (the mock's metrics: favourites_count, reblogs_count, replies_count, quotes_count).
      return { status: 200, body: { ...toStatus(instance, post, accountOf({ network: 'mastodon', handle: post.handle, instanceUrl: instance.url }), store), ...world.metrics.of(post) } };
    }),
  );

  // Mastodon answers a deleted status with the status itself (its `text` the source, for "delete and redraft").
  app.delete<{ Params: { id: string } }>('/api/v1/statuses/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const post = store.find(request.params.id);
      if (!post || post.network !== 'mastodon' || post.instanceUrl !== instance.url || post.handle !== account.handle) return { status: 404, body: { error: 'Record not found' } };
      store.remove(post.id);
      return { status: 200, body: toStatus(instance, post, accountOf(account), store) };
    }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/accounts/:id/statuses', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (request.params.id !== accountIdOf(instance, account.handle)) return { status: 404, body: { error: 'Record not found' } };
      const query = queryOf(request);
      const limit = Math.min(40, Math.max(1, Number(query.limit) || 20));
      const [maxId, minId, sinceId] = [query.max_id, query.min_id, query.since_id].map((id) => (id ? store.find(id) : undefined));
      if ((query.max_id && !maxId) || (query.min_id && !minId) || (query.since_id && !sinceId)) return { status: 200, body: [] };
      const withoutReplies = query.exclude_replies === 'true' || query.exclude_replies === '1';
      const after = minId ?? sinceId;
      const page = store.timeline(account, {
        limit,
        beforePosition: maxId?.position,
        ...(after ? { afterPosition: after.position, closest: Boolean(minId) } : {}),
        ...(withoutReplies ? { only: (post: MockPost) => post.kind === 'post' } : {}),
      });
      const [first, last] = [page.posts[0], page.posts[page.posts.length - 1]];
      const headers: Record<string, string> = {};
      // As Mastodon links pages: `next` (older, max_id) when more remain, `prev` (newer, min_id) from the newest shown.
      const link = (param: string, id: string) => `<${instance.url}${request.url.split('?')[0]}?${new URLSearchParams({ limit: String(limit), ...(withoutReplies ? { exclude_replies: 'true' } : {}), [param]: id }).toString()}>`;
      const links = [...(page.nextBefore !== undefined && last ? [`${link('max_id', last.id)}; rel="next"`] : []), ...(first ? [`${link('min_id', first.id)}; rel="prev"`] : [])];
      if (links.length > 0) headers.link = links.join(', ');
      const owner = accountOf(account);
      return { status: 200, body: page.posts.map((post) => toStatus(instance, post, owner, store)), headers };
    }),
  );
}

/** Mastodon's answer to `in_reply_to_id` naming a status it does not have (`statuses.errors.in_reply_not_found`). */
const IN_REPLY_NOT_FOUND = { status: 404, body: { error: 'The post you are trying to reply to does not appear to exist.' } };

function toStatus(instance: MastodonInstance, post: MockPost, account: ReturnType<typeof toAccount>, store: MockStore) {
  const parent = post.replyTo ? store.find(post.replyTo) : undefined;
  return {
    id: post.id,
    created_at: post.receivedAt,
    in_reply_to_id: post.replyTo,
    in_reply_to_account_id: parent ? accountIdOf(instance, parent.handle) : null,
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
