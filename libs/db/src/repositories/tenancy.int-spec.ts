/**
 * Every repository method that reads or writes a workspace's rows takes the
 * workspace (a Tenant) first, and filters by it: asked as workspace B about
 * workspace A's rows, it returns nothing and changes nothing of A's. Each
 * case also asks as A (the control), so a case whose ids find nothing at
 * all would fail instead of passing vacuously. The table of cases covers
 * every method: a method that is neither a tenant case nor listed as a
 * SYSTEM method (the worker's and the operator's reach across workspaces)
 * fails the last test.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { cloneDatabase, TestDatabase } from '../../../../test/support/database';
import { SYSTEM, Tenant, tenantOf } from '../access/scope';
import { ApiKeysRepository } from './api-keys.repository';
import { AttemptsRepository } from './attempts.repository';
import { AuditEventsRepository } from './audit-events.repository';
import { ChannelsRepository } from './channels.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { FeedItemsRepository } from './feed-items.repository';
import { FeedsRepository } from './feeds.repository';
import { IdempotencyRecordsRepository } from './idempotency-records.repository';
import { InvitationsRepository } from './invitations.repository';
import { MastodonAppsRepository } from './mastodon-apps.repository';
import { MediaRepository } from './media.repository';
import { MembersRepository } from './members.repository';
import { MetricsRepository } from './metrics.repository';
import { OAuthFlowsRepository } from './oauth-flows.repository';
import { PasswordResetsRepository } from './password-resets.repository';
import { PostImportRowsRepository } from './post-import-rows.repository';
import { PostStatuses } from './post-statuses';
import { PostsRepository } from './posts.repository';
import { Executor } from './repository';
import { SeriesRepository, SeriesRow } from './series.repository';
import { TagsRepository } from './tags.repository';
import { UnpublishRepository } from './unpublish.repository';
import { SessionsRepository } from './sessions.repository';
import { SignInFailuresRepository } from './sign-in-failures.repository';
import { UsersRepository } from './users.repository';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEventsRepository } from './webhook-events.repository';
import { ApprovalNoticesRepository } from './approval-notices.repository';
import { WorkspacesRepository } from './workspaces.repository';

let database: TestDatabase;
let db: DataSource;
let repos: ReturnType<typeof repositoriesOf>;

function repositoriesOf(dataSource: DataSource) {
  const posts = new PostsRepository(dataSource);
  const deliveries = new DeliveriesRepository(dataSource);
  return {
    apiKeys: new ApiKeysRepository(dataSource),
    approvalNotices: new ApprovalNoticesRepository(dataSource),
    attempts: new AttemptsRepository(dataSource),
    audit: new AuditEventsRepository(dataSource),
    channels: new ChannelsRepository(dataSource),
    deliveries,
    feeds: new FeedsRepository(dataSource),
    feedItems: new FeedItemsRepository(dataSource),
    idempotency: new IdempotencyRecordsRepository(dataSource),
    invitations: new InvitationsRepository(dataSource),
    mastodonApps: new MastodonAppsRepository(dataSource),
    media: new MediaRepository(dataSource),
    members: new MembersRepository(dataSource),
    metrics: new MetricsRepository(dataSource),
    oauthFlows: new OAuthFlowsRepository(dataSource),
    passwordResets: new PasswordResetsRepository(dataSource),
    posts,
    postImportRows: new PostImportRowsRepository(dataSource),
    postStatuses: new PostStatuses(posts, deliveries),
    series: new SeriesRepository(dataSource),
    tags: new TagsRepository(dataSource),
    unpublish: new UnpublishRepository(dataSource),
    sessions: new SessionsRepository(dataSource),
    signInFailures: new SignInFailuresRepository(dataSource),
    users: new UsersRepository(dataSource),
    webhookDeliveries: new WebhookDeliveriesRepository(dataSource),
    webhookEndpoints: new WebhookEndpointsRepository(dataSource),
    webhookEvents: new WebhookEventsRepository(dataSource),
    workspaces: new WorkspacesRepository(dataSource),
  };
}

/** Workspace A with one of everything; workspace B empty. */
interface World {
  a: Tenant;
  b: Tenant;
  keyId: string;
  channelId: string;
  postId: string;
  /** A's queued delivery (mode queue, in an hour) and its failed one, on the same post. */
  queuedId: string;
  failedId: string;
  endpointId: string;
  idempotencyKey: string;
  /** A's connect flow with accounts to pick from. */
  flowState: string;
  /** A's media, used by A's scheduled post. */
  mediaId: string;
  mediaSha256: string;
  /** A person who is a member (owner) of A. */
  userId: string;
  /** A's pending invitation, for `invitedEmail`. */
  invitationId: string;
  invitedEmail: string;
  /** A's feed, with one item seen, and a row A imported (its hash). */
  feedId: string;
  importHash: string;
  /** A's recurring series, the post being one of its occurrences (tagged `launch`), and A's tag. */
  seriesId: string;
  tagId: string;
}

async function seed(): Promise<World> {
  const [a, b] = await Promise.all(['A', 'B'].map(async (name) => tenantOf((await db.query(`INSERT INTO workspaces (name) VALUES ($1) RETURNING id`, [name]))[0].id)));
  const key = await repos.apiKeys.insert(a!, { name: 'a key', prefix: 'hrld_a', keyHash: randomUUID().replace(/-/g, '').padEnd(64, '0'), role: 'editor' });
  const channel = await repos.channels.insert(a!, { network: 'x', handle: `a_${randomUUID().slice(0, 8)}`, timezone: 'UTC', postingSchedule: { slots: [] }, accessToken: 'sealed', accountId: 'a-account' });
  const [postId, queuedId, failedId] = [randomUUID(), randomUUID(), randomUUID()];
  const [other] = await db.query(`INSERT INTO channels (workspace_id, network, handle, access_token) VALUES ($1, 'mastodon', 'a2', 'sealed') RETURNING id`, [a!.workspaceId]);
  await repos.posts.insertWithDeliveries(
    a!,
    { kind: 'api_key', id: key.id },
    [{ id: postId, text: 'A post', media: [], variants: {}, status: 'scheduled', request_id: null, schedule: { mode: 'queue' } }],
    [
      { id: queuedId, post_id: postId, channel_id: channel.id, status: 'scheduled', schedule_mode: 'queue', scheduled_at: new Date(Date.now() + 3_600_000).toISOString() },
      { id: failedId, post_id: postId, channel_id: other.id, status: 'scheduled', schedule_mode: 'at', scheduled_at: new Date(Date.now() + 7_200_000).toISOString() },
    ],
  );
  await db.query(`UPDATE deliveries SET status = 'failed', last_error_code = 'x' WHERE id = $1`, [failedId]);
  await db.query(`INSERT INTO attempts (delivery_id, number, started_at, finished_at, outcome, latency_ms) VALUES ($1, 1, now(), now(), 'rejected', 1)`, [failedId]);
  const endpoint = await repos.webhookEndpoints.insert(a!, { url: 'https://a.example/hook', events: ['post.failed'], secret: 'sealed' });
  await db.transaction((tx) => repos.webhookEvents.record(SYSTEM, [{ workspaceId: a!.workspaceId, type: 'post.failed', data: { postId } }], tx));
  const idempotencyKey = `key-${randomUUID()}`;
  await repos.idempotency.claim(a!, idempotencyKey, 'f'.repeat(64), 60_000);
  await repos.idempotency.store(a!, idempotencyKey, 201, { id: postId });
  const flowState = `state-${randomUUID()}`;
  await repos.oauthFlows.insert(a!, { state: flowState, network: 'linkedin', redirectUri: 'https://herald.example/cb', codeVerifier: 'sealed', lifetimeMs: 600_000 });
  await repos.oauthFlows.setPending(SYSTEM, flowState, 'sealed-accounts', 600_000);
  const mediaSha256 = randomUUID().replace(/-/g, '').padEnd(64, 'a');
  const media = await repos.media.insert(a!, mediaRow(mediaSha256));
  await db.query(`UPDATE posts SET media = jsonb_build_array(jsonb_build_object('mediaId', $2::text)) WHERE id = $1`, [postId, media!.id]);
  const user = await repos.users.insert(SYSTEM, { email: `a-${randomUUID()}@example.com`, name: 'A person', passwordHash: 'scrypt$x' });
  await repos.members.insert(a!, user.id, 'owner');
  const invitedEmail = `invited-${randomUUID()}@example.com`;
  const invitation = await repos.invitations.insert(a!, { email: invitedEmail, role: 'editor', tokenHash: randomUUID().replace(/-/g, '').padEnd(64, 'c'), invitedBy: { kind: 'user', id: user.id }, lifetimeMs: 600_000 });
  await repos.audit.insert(a!, { actor: { kind: 'user', id: user.id }, action: 'invitation.created', subject: { type: 'invitation', id: invitation.id }, details: {}, ip: null });
  const feed = await repos.feeds.insert(a!, { url: 'https://a.example/feed.xml', channelIds: [channel.id], mode: 'draft', template: '{{title}}', intervalMinutes: 15, skipExisting: false, maker: { kind: 'api_key', id: key.id, role: 'editor' } });
  await repos.feedItems.record(a!, feed.id, [{ guid: 'a-item', title: 'A item', link: 'https://a.example/1', postId, problem: null }]);
  const importHash = 'd'.repeat(64);
  await repos.postImportRows.record(a!, [{ hash: importHash, postId }], db.manager);
  const series = await repos.series.insert(a!, { kind: 'api_key', id: key.id }, { text: 'weekly', variants: {}, channelIds: [channel.id], tags: [], evergreen: false, rule: 'FREQ=WEEKLY', timezone: 'UTC', startAt: new Date(), until: null, count: null, expandedUntil: new Date() });
  await db.query(`UPDATE posts SET series_id = $2, occurrence_at = now() + interval '1 hour', tags = '{launch}' WHERE id = $1`, [postId, series.id]);
  const tag = await repos.tags.insert(a!, 'launch', '#112233');
  return { seriesId: series.id, tagId: tag.id!, feedId: feed.id, importHash, a: a!, b: b!, userId: user.id, invitationId: invitation.id, invitedEmail, keyId: key.id, channelId: channel.id, postId, queuedId, failedId, endpointId: endpoint.id, idempotencyKey, flowState, mediaId: media!.id, mediaSha256 };
}

function mediaRow(sha256: string) {
  return {
    id: randomUUID(),
    sha256,
    storageKey: `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`,
    mimeType: 'image/png',
    kind: 'image' as const,
    size: 100,
    width: 10,
    height: 10,
    durationMs: null,
    animated: false,
    orientation: null,
    filename: 'a.png',
    sourceUrl: null,
    thumbnail: null,
  };
}

/** Everything of a workspace, as one fingerprint. */
async function snapshotOf(workspace: Tenant, on: Executor = db.manager): Promise<string> {
  const [row] = await on.query(SNAPSHOT_SQL, [workspace.workspaceId]);
  return row.fingerprint;
}

type Repos = typeof repos;

/**
 * One tenant method: `call(as, world, tx)` makes the call as workspace `as`
 * about A's rows; `nothing` says whether its answer is "nothing"; `writes`
 * whether the control (as A) changes A's rows.
 */
interface TenantCase {
  /** Sets A's rows up for the case (committed, before anything is measured). */
  prepare?: (world: World) => Promise<unknown>;
  call: (repos: Repos, as: Tenant, world: World, tx: Executor) => Promise<unknown>;
  nothing: (result: unknown, world: World) => boolean;
  /** The control as A must change A's rows (writes) or, by default, answer something (reads). */
  writes?: boolean;
}

const empty = (result: unknown) => Array.isArray(result) && result.length === 0;
const absent = (result: unknown) => result === undefined;
const refused = (result: unknown) => result === false;
const nothingReturned = () => true;
/** An insert as B lands in B. */
const inB = (result: unknown, world: World) => (result as { workspaceId: string }).workspaceId === world.b.workspaceId;
const soon = () => new Date(Date.now() + 86_400_000);

/** A's queued delivery, published (with the network's id), and a snapshot of it: what analytics reads. */
const publishedWithSnapshot = async (w: World) => {
  await db.query(`UPDATE deliveries SET status = 'published', published_at = now() - interval '1 hour', external_id = 'x-1' WHERE id = $1`, [w.queuedId]);
  await db.query(
    `INSERT INTO metric_snapshots (workspace_id, delivery_id, post_id, channel_id, kind, likes, engagements) SELECT workspace_id, id, post_id, channel_id, 'refresh', 3, 3 FROM deliveries WHERE id = $1`,
    [w.queuedId],
  );
};

const noneKnown = (result: unknown) => (result as Set<string>).size === 0;

const TENANT_CASES: Record<string, TenantCase> = {
  'MetricsRepository.requestRefresh': { prepare: publishedWithSnapshot, call: (r, as, w) => r.metrics.requestRefresh(as, w.postId, 3_600_000), nothing: empty, writes: true },
  'MetricsRepository.refreshState': {
    prepare: publishedWithSnapshot,
    call: (r, as, w) => r.metrics.refreshState(as, w.postId),
    nothing: (result) => (result as { exists: boolean; published: number }).exists === false && (result as { published: number }).published === 0,
  },
  'MetricsRepository.ofPost': { prepare: publishedWithSnapshot, call: (r, as, w) => r.metrics.ofPost(as, w.postId), nothing: empty },
  'MetricsRepository.latest': {
    prepare: publishedWithSnapshot,
    call: (r, as) => r.metrics.latest(as, { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) }, 10),
    nothing: empty,
  },
  'MetricsRepository.accountHistory': {
    // A reading of A's channel's account figures.
    prepare: async (w) => {
      await db.query(`INSERT INTO account_snapshots (workspace_id, channel_id, followers) SELECT workspace_id, id, 42 FROM channels WHERE id = $1`, [w.channelId]);
    },
    call: (r, as, w) => r.metrics.accountHistory(as, { channelId: w.channelId, from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) }, 10),
    nothing: empty,
  },
  'PostImportRowsRepository.known': { call: (r, as, w) => r.postImportRows.known(as, [w.importHash]), nothing: noneKnown },
  'PostImportRowsRepository.record': { call: (r, as, w, tx) => r.postImportRows.record(as, [{ hash: 'e'.repeat(64), postId: w.postId }], tx), nothing: empty, writes: true },
  'FeedsRepository.insert': {
    call: (r, as) => r.feeds.insert(as, { url: 'https://b.example/feed', channelIds: [], mode: 'draft', template: 't', intervalMinutes: 15, skipExisting: false, maker: { kind: 'api_key', id: randomUUID(), role: 'editor' } }),
    nothing: inB,
    writes: true,
  },
  'FeedsRepository.page': { call: (r, as) => r.feeds.page(as, undefined, 10), nothing: empty },
  'FeedsRepository.find': { call: (r, as, w) => r.feeds.find(as, w.feedId), nothing: absent },
  'FeedsRepository.update': { call: (r, as, w) => r.feeds.update(as, w.feedId, { template: 'changed' }), nothing: absent, writes: true },
  'FeedsRepository.remove': { call: (r, as, w) => r.feeds.remove(as, w.feedId), nothing: refused, writes: true },
  'FeedsRepository.hold': { call: (r, as, w) => r.feeds.hold(as, w.feedId, 60), nothing: absent, writes: true },
  'FeedItemsRepository.known': { call: (r, as, w) => r.feedItems.known(as, w.feedId, ['a-item']), nothing: noneKnown },
  'FeedItemsRepository.record': {
    call: (r, as, w, tx) => r.feedItems.record(as, w.feedId, [{ guid: 'new-item', title: 't', link: 'l', postId: null, problem: null }], tx),
    nothing: empty,
    writes: true,
  },
  'FeedItemsRepository.recent': { call: (r, as, w) => r.feedItems.recent(as, w.feedId, 10), nothing: empty },
  'ApiKeysRepository.insert': { call: (r, as) => r.apiKeys.insert(as, { name: 'k', prefix: 'p', keyHash: randomUUID().replace(/-/g, '').padEnd(64, '1'), role: 'viewer' }), nothing: inB, writes: true },
  'ApiKeysRepository.list': { call: (r, as) => r.apiKeys.list(as), nothing: empty },
  'ApiKeysRepository.revoke': { call: (r, as, w, tx) => r.apiKeys.revoke(as, w.keyId, tx), nothing: absent, writes: true },
  'ApiKeysRepository.revokeAnsweringTo': {
    prepare: (w) => db.query(`UPDATE api_keys SET maker_user_id = $2 WHERE id = $1`, [w.keyId, w.userId]),
    call: (r, as, w, tx) => r.apiKeys.revokeAnsweringTo(as, w.userId, ['editor'], tx),
    nothing: empty,
    writes: true,
  },
  'ApiKeysRepository.findLiveLocked': { call: (r, as, w, tx) => r.apiKeys.findLiveLocked(as, w.keyId, tx), nothing: absent },
  'ApiKeysRepository.liveRole': { call: (r, as, w) => r.apiKeys.liveRole(as, w.keyId), nothing: absent },
  'ApiKeysRepository.touch': { call: (r, as, w) => r.apiKeys.touch(as, w.keyId), nothing: nothingReturned, writes: true },
  'ChannelsRepository.insert': {
    call: (r, as) => r.channels.insert(as, { network: 'x', handle: `n_${randomUUID().slice(0, 8)}`, timezone: 'UTC', postingSchedule: { slots: [] }, accessToken: 't' }),
    nothing: inB,
    writes: true,
  },
  'ChannelsRepository.findAccount': { call: (r, as, w, tx) => r.channels.findAccount(as, 'x', { accountId: 'a-account', handle: 'whoever' }, tx), nothing: absent },
  'ChannelsRepository.reconnect': {
    call: (r, as, w, tx) => r.channels.reconnect(as, w.channelId, { handle: 'taken_over', accessToken: 'new', accountId: 'a-account' }, tx),
    nothing: absent,
    writes: true,
  },
  'OAuthFlowsRepository.insert': {
    call: (r, as, w, tx) => r.oauthFlows.insert(as, { state: `s-${randomUUID()}`, network: 'x', redirectUri: 'https://herald.example/cb', codeVerifier: 'v', lifetimeMs: 60_000 }, tx),
    // As B it lands in B (A unchanged); as A, in A.
    nothing: nothingReturned,
    writes: true,
  },
  'OAuthFlowsRepository.takePending': { call: (r, as, w, tx) => r.oauthFlows.takePending(as, w.flowState, tx), nothing: absent, writes: true },
  'OAuthFlowsRepository.peekPending': { call: (r, as, w, tx) => r.oauthFlows.peekPending(as, w.flowState, tx), nothing: absent },
  'ChannelsRepository.page': { call: (r, as) => r.channels.page(as, undefined, 10), nothing: empty },
  'ChannelsRepository.find': { call: (r, as, w, tx) => r.channels.find(as, w.channelId, { lock: true, on: tx }), nothing: absent },
  'ChannelsRepository.liveAmong': { call: (r, as, w, tx) => r.channels.liveAmong(as, [w.channelId], 'update', tx), nothing: empty },
  'ChannelsRepository.among': { call: (r, as, w, tx) => r.channels.among(as, [w.channelId], tx), nothing: empty },
  'ChannelsRepository.update': { call: (r, as, w, tx) => r.channels.update(as, w.channelId, { timezone: 'Europe/Berlin' }, tx), nothing: absent, writes: true },
  'ChannelsRepository.setProfile': { call: (r, as, w, tx) => r.channels.setProfile(as, w.channelId, { handle: 'renamed', displayName: 'Renamed' }, tx), nothing: absent, writes: true },
  'ChannelsRepository.remove': { call: (r, as, w, tx) => r.channels.remove(as, w.channelId, tx), nothing: refused, writes: true },
  'PostsRepository.insertWithDeliveries': {
    call: (r, as, w, tx) => {
      const id = randomUUID();
      return r.posts.insertWithDeliveries(
        as,
        { kind: 'api_key', id: w.keyId },
        [{ id, text: 'onto A', media: [], variants: {}, status: 'scheduled', request_id: null, schedule: { mode: 'at' } }],
        [{ id: randomUUID(), post_id: id, channel_id: w.channelId, status: 'scheduled', schedule_mode: 'at', scheduled_at: soon().toISOString() }],
        tx,
      );
    },
    nothing: absent,
    writes: true,
  },
  'PostsRepository.find': { call: (r, as, w, tx) => r.posts.find(as, w.postId, { lock: true, on: tx }), nothing: absent },
  'PostsRepository.occurrencesOf': { call: (r, as, w, tx) => r.posts.occurrencesOf(as, w.seriesId, new Date(0), soon(), tx), nothing: (result) => (result as Set<number>).size === 0 },
  'PostsRepository.futureOccurrences': { call: (r, as, w, tx) => r.posts.futureOccurrences(as, w.seriesId, new Date(0), tx), nothing: empty },
  'PostsRepository.detachOccurrences': { call: (r, as, w, tx) => r.posts.detachOccurrences(as, [w.postId], tx), nothing: nothingReturned, writes: true },
  'PostsRepository.evergreenDue': {
    prepare: (w) =>
      db.query(`UPDATE posts SET evergreen = true WHERE id = $1`, [w.postId]).then(() => db.query(`UPDATE deliveries SET status = 'published', published_at = now() - interval '10 days' WHERE id = $1`, [w.queuedId])),
    call: (r, as, w, tx) => r.posts.evergreenDue(as, w.channelId, new Date(), 5, tx),
    nothing: empty,
  },
  'PostsRepository.skipEvergreen': { call: (r, as, w, tx) => r.posts.skipEvergreen(as, w.postId, w.channelId, { at: new Date().toISOString(), reason: 'duplicate_text' }, tx), nothing: refused, writes: true },
  'PostsRepository.setLabels': { call: (r, as, w, tx) => r.posts.setLabels(as, w.postId, { tags: ['other'], evergreen: true }, tx), nothing: refused, writes: true },
  'SeriesRepository.insert': {
    call: (r, as, w, tx) =>
      r.series.insert(as, { kind: 'api_key', id: w.keyId }, { text: 't', variants: {}, channelIds: [w.channelId], tags: [], evergreen: false, rule: 'FREQ=DAILY', timezone: 'UTC', startAt: new Date(), until: null, count: null, expandedUntil: new Date() }, tx),
    nothing: (result, w) => (result as SeriesRow).workspace_id === w.b.workspaceId,
    writes: true,
  },
  'SeriesRepository.list': { call: (r, as) => r.series.list(as), nothing: empty },
  'SeriesRepository.find': { call: (r, as, w, tx) => r.series.find(as, w.seriesId, tx), nothing: absent },
  'SeriesRepository.findLocked': { call: (r, as, w, tx) => r.series.findLocked(as, w.seriesId, tx), nothing: absent },
  'SeriesRepository.update': {
    call: (r, as, w, tx) =>
      r.series.update(as, w.seriesId, { text: 'changed', variants: {}, channelIds: [w.channelId], tags: [], evergreen: false, rule: 'FREQ=DAILY', timezone: 'UTC', until: null, count: null, expandedUntil: new Date() }, tx),
    nothing: absent,
    writes: true,
  },
  'SeriesRepository.setStatus': { call: (r, as, w, tx) => r.series.setStatus(as, w.seriesId, 'paused', new Date(), tx), nothing: absent, writes: true },
  'SeriesRepository.remove': { call: (r, as, w, tx) => r.series.remove(as, w.seriesId, tx), nothing: refused, writes: true },
  'TagsRepository.list': { call: (r, as) => r.tags.list(as), nothing: empty },
  // As B it lands in B (A unchanged); as A, in A.
  'TagsRepository.insert': { call: (r, as) => r.tags.insert(as, `t-${randomUUID().slice(0, 8)}`, '#000000'), nothing: nothingReturned, writes: true },
  'TagsRepository.recolour': { call: (r, as, w) => r.tags.recolour(as, w.tagId, '#ffffff'), nothing: absent, writes: true },
  'TagsRepository.remove': { call: (r, as, w) => r.tags.remove(as, w.tagId), nothing: refused, writes: true },
  'PostsRepository.page': { call: (r, as) => r.posts.page(as, { limit: 10 }), nothing: empty },
  'PostsRepository.updateContent': {
    call: (r, as, w, tx) => r.posts.updateContent(as, w.postId, { text: 'changed', media: [], variants: {}, parts: null, firstComment: null }, { kind: 'user', id: w.userId }, { mode: 'draft' }, tx),
    nothing: refused,
    writes: true,
  },
  'PostsRepository.setReview': {
    call: (r, as, w, tx) => r.posts.setReview(as, w.postId, { state: 'rejected', note: 'not yet', by: { kind: 'user', id: w.userId } }, tx),
    nothing: refused,
    writes: true,
  },
  // A's post names A's key as its creator: as B, no name of A's (nor the key's) is read.
  'PostsRepository.actorsOf': { call: (r, as, w, tx) => r.posts.actorsOf(as, [w.postId], tx), nothing: empty },
  'PostsRepository.lock': { call: (r, as, w, tx) => r.posts.lock(as, [w.postId], tx), nothing: empty },
  'PostsRepository.setStatuses': { call: (r, as, w, tx) => r.posts.setStatuses(as, [{ id: w.postId, status: 'cancelled' }], tx), nothing: empty, writes: true },
  'PostStatuses.lock': { call: (r, as, w, tx) => r.postStatuses.lock(as, [w.postId], tx), nothing: empty },
  'PostStatuses.refresh': {
    // Stale, so that a refresh as A has something to fix.
    prepare: (w) => db.query(`UPDATE posts SET status = 'draft' WHERE id = $1`, [w.postId]),
    call: (r, as, w, tx) => r.postStatuses.refresh(as, [w.postId], tx),
    nothing: empty,
    writes: true,
  },
  'DeliveriesRepository.ofPosts': { call: (r, as, w, tx) => r.deliveries.ofPosts(as, [w.postId], tx), nothing: empty },
  'DeliveriesRepository.partsOf': {
    prepare: (w) => db.query(`INSERT INTO delivery_parts (delivery_id, idx, kind, status) VALUES ($1, 0, 'part', 'failed') ON CONFLICT DO NOTHING`, [w.failedId]),
    call: (r, as, w, tx) => r.deliveries.partsOf(as, [w.failedId], tx),
    nothing: empty,
  },
  'DeliveriesRepository.ofPostLocked': { call: (r, as, w, tx) => r.deliveries.ofPostLocked(as, w.postId, tx), nothing: empty },
  'DeliveriesRepository.statusesOfPosts': { call: (r, as, w, tx) => r.deliveries.statusesOfPosts(as, [w.postId], tx), nothing: empty },
  'DeliveriesRepository.reschedule': {
    call: (r, as, w, tx) => r.deliveries.reschedule(as, w.queuedId, { at: soon(), mode: 'at', status: 'pending_approval' }, tx),
    nothing: nothingReturned,
    writes: true,
  },
  'DeliveriesRepository.releaseSlot': { call: (r, as, w, tx) => r.deliveries.releaseSlot(as, w.queuedId, tx), nothing: nothingReturned, writes: true },
  'UnpublishRepository.request': {
    prepare: (w) => db.query(`UPDATE deliveries SET status = 'published', published_at = now(), external_id = 'x-2', unpublish_due_at = NULL WHERE id = $1`, [w.failedId]),
    call: (r, as, w, tx) => r.unpublish.request(as, [w.failedId], new Date(), tx),
    nothing: empty,
    writes: true,
  },
  'DeliveriesRepository.cancel': { call: (r, as, w, tx) => r.deliveries.cancel(as, [w.queuedId], tx), nothing: nothingReturned, writes: true },
  'DeliveriesRepository.requeueFailed': { call: (r, as, w, tx) => r.deliveries.requeueFailed(as, [w.failedId], new Date(), tx), nothing: nothingReturned, writes: true },
  'DeliveriesRepository.retime': { call: (r, as, w, tx) => r.deliveries.retime(as, [{ deliveryId: w.queuedId, at: soon() }], tx), nothing: nothingReturned, writes: true },
  'DeliveriesRepository.queued': { call: (r, as, w, tx) => r.deliveries.queued(as, w.channelId, { lock: true, on: tx }), nothing: empty },
  'DeliveriesRepository.takenTimes': { call: (r, as, w, tx) => r.deliveries.takenTimes(as, w.channelId, new Date(), false, tx), nothing: empty },
  'DeliveriesRepository.queueEntries': { call: (r, as, w) => r.deliveries.queueEntries(as, w.channelId), nothing: empty },
  'DeliveriesRepository.claimedAmong': {
    prepare: (w) => db.query(`UPDATE deliveries SET status = 'publishing' WHERE id = $1`, [w.queuedId]),
    call: (r, as, w, tx) => r.deliveries.claimedAmong(as, w.channelId, [w.queuedId], tx),
    nothing: empty,
  },
  'DeliveriesRepository.postsUnclaimedOn': { call: (r, as, w, tx) => r.deliveries.postsUnclaimedOn(as, w.channelId, tx), nothing: empty },
  'DeliveriesRepository.cancelUnclaimedOn': { call: (r, as, w, tx) => r.deliveries.cancelUnclaimedOn(as, w.channelId, tx), nothing: empty, writes: true },
  'DeliveriesRepository.quotaCounts': {
    call: (r, as, w, tx) => r.deliveries.quotaCounts(as, w.channelId, [new Date(Date.now() + 3_600_000)], 600_000, 10, true, tx),
    nothing: (result) => Array.isArray(result) && result.every((n) => n === 0),
  },
  'DeliveriesRepository.quotaTimes': { call: (r, as, w, tx) => r.deliveries.quotaTimes(as, w.channelId, new Date(), new Date(Date.now() + 7_200_000), 10, true, tx), nothing: empty },
  'ChannelsRepository.lockForQuota': { call: (r, as, w, tx) => r.channels.lockForQuota(as, [w.channelId], tx), nothing: empty },
  'DeliveriesRepository.scheduledOn': { call: (r, as, w) => r.deliveries.scheduledOn(as, w.channelId), nothing: empty },
  'AttemptsRepository.ofDeliveries': { call: (r, as, w, tx) => r.attempts.ofDeliveries(as, [w.failedId], tx), nothing: empty },
  'MediaRepository.insert': { call: (r, as, w, tx) => r.media.insert(as, mediaRow(randomUUID().replace(/-/g, '').padEnd(64, 'b')), tx), nothing: inB, writes: true },
  'MediaRepository.findBySha256': { call: (r, as, w, tx) => r.media.findBySha256(as, w.mediaSha256, tx), nothing: absent },
  'MediaRepository.find': { call: (r, as, w) => r.media.find(as, w.mediaId), nothing: absent },
  'MediaRepository.among': { call: (r, as, w, tx) => r.media.among(as, [w.mediaId], tx), nothing: empty },
  'MediaRepository.page': { call: (r, as) => r.media.page(as, undefined, 10), nothing: empty },
  'MediaRepository.usedBy': { call: (r, as, w, tx) => r.media.usedBy(as, w.mediaId, tx), nothing: empty },
  'MediaRepository.remove': { call: (r, as, w, tx) => r.media.remove(as, w.mediaId, tx), nothing: refused, writes: true },
  'MediaRepository.touch': { call: (r, as, w, tx) => r.media.touch(as, [w.mediaId], tx), nothing: nothingReturned, writes: true },
  'MediaRepository.addDerivative': {
    call: (r, as, w) => r.media.addDerivative(as, w.mediaId, 'b2000000', { key: 'sha256/00/00/x', mimeType: 'image/jpeg', size: 1 }),
    nothing: nothingReturned,
    writes: true,
  },
  'MembersRepository.insert': {
    call: async (r, as, w, tx) => r.members.insert(as, (await r.users.insert(SYSTEM, { email: `n-${randomUUID()}@example.com`, name: '', passwordHash: 'scrypt$x' }, tx)).id, 'viewer', tx),
    nothing: inB,
    writes: true,
  },
  'MembersRepository.roleOf': { call: (r, as, w, tx) => r.members.roleOf(as, w.userId, tx), nothing: absent },
  'MembersRepository.roleOfLocked': { call: (r, as, w, tx) => r.members.roleOfLocked(as, w.userId, tx), nothing: absent },
  'MembersRepository.page': { call: (r, as) => r.members.page(as, undefined, 10), nothing: empty },
  'MembersRepository.findLocked': { call: (r, as, w, tx) => r.members.findLocked(as, w.userId, tx), nothing: absent },
  'MembersRepository.ownersLocked': { call: (r, as, w, tx) => r.members.ownersLocked(as, tx), nothing: empty },
  'MembersRepository.setRole': { call: (r, as, w, tx) => r.members.setRole(as, w.userId, 'viewer', tx), nothing: refused, writes: true },
  'MembersRepository.remove': { call: (r, as, w, tx) => r.members.remove(as, w.userId, tx), nothing: refused, writes: true },
  'InvitationsRepository.insert': {
    call: (r, as, w, tx) => r.invitations.insert(as, { email: 'new@example.com', role: 'viewer', tokenHash: randomUUID().replace(/-/g, '').padEnd(64, 'd'), invitedBy: { kind: 'operator', id: null }, lifetimeMs: 60_000 }, tx),
    nothing: inB,
    writes: true,
  },
  'InvitationsRepository.revokePendingFor': { call: (r, as, w, tx) => r.invitations.revokePendingFor(as, w.invitedEmail.toUpperCase(), tx), nothing: empty, writes: true },
  'InvitationsRepository.revokePendingAnsweringTo': {
    prepare: (w) => db.query(`UPDATE invitations SET maker_user_id = $2 WHERE id = $1`, [w.invitationId, w.userId]),
    call: (r, as, w, tx) => r.invitations.revokePendingAnsweringTo(as, w.userId, ['editor'], tx),
    nothing: empty,
    writes: true,
  },
  // The tenant's own workspace: as B, B's (never A's); as A, A's.
  'WorkspacesRepository.find': { call: (r, as, w, tx) => r.workspaces.find(as, tx), nothing: (result, w) => (result as { id: string }).id === w.b.workspaceId },
  'WorkspacesRepository.setTimezone': {
    call: (r, as, w, tx) => r.workspaces.setTimezone(as, 'Europe/Berlin', tx),
    nothing: (result, w) => (result as { workspace: { id: string } }).workspace.id === w.b.workspaceId,
    writes: true,
  },
  'WorkspacesRepository.setAllowedRedirectOrigins': {
    call: (r, as, w, tx) => r.workspaces.setAllowedRedirectOrigins(as, ['https://app.example'], tx),
    nothing: (result, w) => (result as { workspace: { id: string } }).workspace.id === w.b.workspaceId,
    writes: true,
  },
  'InvitationsRepository.pendingPage': { call: (r, as) => r.invitations.pendingPage(as, undefined, 10), nothing: empty },
  'InvitationsRepository.findPending': { call: (r, as, w, tx) => r.invitations.findPending(as, w.invitationId, tx), nothing: absent },
  'InvitationsRepository.revoke': { call: (r, as, w, tx) => r.invitations.revoke(as, w.invitationId, tx), nothing: absent, writes: true },
  'AuditEventsRepository.insert': {
    call: (r, as, w, tx) => r.audit.insert(as, { actor: { kind: 'system', id: null }, action: 'channel.removed', subject: { type: 'channel', id: w.channelId }, details: { x: 1 }, ip: '10.0.0.1' }, tx),
    // As B it lands in B (A unchanged); as A, in A.
    nothing: nothingReturned,
    writes: true,
  },
  'AuditEventsRepository.page': { call: (r, as) => r.audit.page(as, undefined, 10), nothing: empty },
  'WebhookEndpointsRepository.insert': { call: (r, as) => r.webhookEndpoints.insert(as, { url: 'https://b.example', events: ['post.failed'], secret: 's' }), nothing: (result) => result !== undefined, writes: true },
  // As B the event is B's (no endpoint of B's subscribes: nothing recorded); as A, A's endpoint gets it.
  'WebhookEventsRepository.recordFor': {
    call: (r, as, w, tx) => r.webhookEvents.recordFor(as, [{ type: 'post.failed', data: { postId: w.postId } }], tx),
    nothing: empty,
    writes: true,
  },
  // As B, A's post gets no notice.
  'ApprovalNoticesRepository.record': { call: (r, as, w, tx) => r.approvalNotices.record(as, [w.postId], null, tx), nothing: (result) => result === 0, writes: true },
  'WebhookEndpointsRepository.list': { call: (r, as) => r.webhookEndpoints.list(as), nothing: empty },
  'WebhookEndpointsRepository.find': { call: (r, as, w) => r.webhookEndpoints.find(as, w.endpointId), nothing: absent },
  'WebhookEndpointsRepository.remove': { call: (r, as, w) => r.webhookEndpoints.remove(as, w.endpointId), nothing: refused, writes: true },
  'WebhookDeliveriesRepository.historyOf': { call: (r, as, w) => r.webhookDeliveries.historyOf(as, w.endpointId), nothing: empty },
  // As B the key is free (keys are per workspace); as A it is taken.
  'IdempotencyRecordsRepository.claim': { call: (r, as, w) => r.idempotency.claim(as, w.idempotencyKey, 'e'.repeat(64), 0), nothing: (claimed) => claimed === true },
  'IdempotencyRecordsRepository.find': { call: (r, as, w) => r.idempotency.find(as, w.idempotencyKey), nothing: absent },
  'IdempotencyRecordsRepository.store': { call: (r, as, w) => r.idempotency.store(as, w.idempotencyKey, 500, { changed: true }), nothing: nothingReturned, writes: true },
  'IdempotencyRecordsRepository.release': {
    prepare: (w) => db.query(`UPDATE idempotency_records SET response_status = 0 WHERE key = $1`, [w.idempotencyKey]),
    call: (r, as, w) => r.idempotency.release(as, w.idempotencyKey),
    nothing: nothingReturned,
    writes: true,
  },
};

/** Methods that act for no one workspace: by a delivery's id (the worker), by a key's hash (authentication), the operator's. */
const SYSTEM_METHODS = [
  // The unpublish worker claims and records by delivery id; the reconciler finds the due ones of every workspace.
  'UnpublishRepository.claim',
  'UnpublishRepository.partDeleted',
  'UnpublishRepository.markDeleted',
  'UnpublishRepository.markFailed',
  'UnpublishRepository.dueBy',
  // Analytics' worker follows, claims and records every workspace's snapshots by delivery id.
  'MetricsRepository.followPublished',
  'MetricsRepository.claimDue',
  'MetricsRepository.record',
  'MetricsRepository.advance',
  'MetricsRepository.postpone',
  // ...and each channel's daily account figures, by channel id.
  'MetricsRepository.followChannels',
  'MetricsRepository.claimAccounts',
  'MetricsRepository.recordAccount',
  'MetricsRepository.postponeAccount',
  // The feed poller: due feeds of every workspace, and what each poll learnt, by the feed's id.
  'FeedsRepository.claimDue',
  'FeedsRepository.polled',
  'FeedsRepository.failed',
  'ApiKeysRepository.findLive',
  'ChannelsRepository.disconnect',
  'ChannelsRepository.credentialsLocked',
  'ChannelsRepository.storeTokens',
  'ChannelsRepository.renewalsDue',
  'ChannelsRepository.unrenewableLapsing',
  'ChannelsRepository.markWarned',
  // The callback carries a state and no key: the flow names the workspace.
  'OAuthFlowsRepository.consume',
  'OAuthFlowsRepository.find',
  'OAuthFlowsRepository.setPending',
  'OAuthFlowsRepository.prune',
  // One app per instance, shared by every workspace.
  'MastodonAppsRepository.find',
  'MastodonAppsRepository.insert',
  'PostsRepository.lockAny',
  // The worker makes every workspace's series' occurrences (the series' row names its workspace).
  'SeriesRepository.dueForExpansion',
  // The worker recycles every workspace's evergreen queues (the channel's row names its workspace).
  'ChannelsRepository.recycling',
  'SeriesRepository.lockForExpansion',
  'SeriesRepository.markExpanded',
  'PostsRepository.setStatusesAny',
  'DeliveriesRepository.claimMany',
  'DeliveriesRepository.claimOne',
  'DeliveriesRepository.obstacle',
  'DeliveriesRepository.reclaim',
  'DeliveriesRepository.renew',
  'DeliveriesRepository.keepRef',
  'DeliveriesRepository.keepUpload',
  // A thread's steps, by the claim of their delivery (the worker's).
  'DeliveriesRepository.keepPartRef',
  'DeliveriesRepository.partPublished',
  'DeliveriesRepository.partFailed',
  // The signed public links name a media by id (the signature vouches for it); the sweep and the purge act for every workspace.
  'MediaRepository.findById',
  'MediaRepository.expireUnused',
  'MediaRepository.deleted',
  'MediaRepository.lockSha256',
  'MediaRepository.namedElsewhere',
  'MediaRepository.purge',
  'DeliveriesRepository.release',
  'DeliveriesRepository.endLease',
  // A network host's state change is told to every workspace with a channel there.
  'ChannelsRepository.hostsOfNetwork',
  'DeliveriesRepository.countAttempt',
  'DeliveriesRepository.externalIdsSince',
  'DeliveriesRepository.applyOutcomes',
  'DeliveriesRepository.dueBy',
  'DeliveriesRepository.leasesEndedBefore',
  'DeliveriesRepository.byIds',
  'DeliveriesRepository.scheduleState',
  'AttemptsRepository.insertReadingSiblings',
  'WebhookEventsRepository.record',
  // The approval email sweep takes every workspace's notices, each with its own workspace's approvers.
  'ApprovalNoticesRepository.take',
  'WebhookDeliveriesRepository.pending',
  'WebhookDeliveriesRepository.markDelivered',
  'WebhookDeliveriesRepository.markFailed',
  'WebhookDeliveriesRepository.scheduleRetry',
  'WebhookDeliveriesRepository.dueBy',
  'WorkspacesRepository.insert',
  // A person is no one workspace's: signing in names them by email, a session by its cookie's hash, `me` lists their own workspaces.
  'UsersRepository.insert',
  'UsersRepository.findByEmail',
  'UsersRepository.find',
  'UsersRepository.exists',
  'UsersRepository.setPassword',
  'UsersRepository.lockSignUps',
  'MembersRepository.ofUser',
  'SessionsRepository.insert',
  'SessionsRepository.findLive',
  'SessionsRepository.touch',
  'SessionsRepository.revoke',
  'SessionsRepository.revokeByTokenHash',
  'SessionsRepository.revokeAllOf',
  'SessionsRepository.revokeOthersOf',
  'SessionsRepository.endLive',
  // Sign-in throttling counts per account, per client address and per pair of them, for the whole installation.
  'SignInFailuresRepository.ensure',
  'SignInFailuresRepository.lock',
  'SignInFailuresRepository.record',
  'SignInFailuresRepository.forgive',
  'SignInFailuresRepository.clear',
  'SignInFailuresRepository.prune',
  // An invitation's token names its workspace (the accept and preview routes carry no key); a sign-in is recorded in each of the person's workspaces.
  'InvitationsRepository.findByTokenHash',
  'InvitationsRepository.take',
  'AuditEventsRepository.insertForMembersOf',
  // A password reset is a person's, like their sessions.
  'PasswordResetsRepository.insert',
  'PasswordResetsRepository.find',
  'PasswordResetsRepository.take',
  'PasswordResetsRepository.useUpAllOf',
  'PasswordResetsRepository.prune',
];

beforeAll(async () => {
  database = await cloneDatabase('tenancy');
  db = database.dataSource;
  repos = repositoriesOf(db);
});

afterAll(async () => {
  await database?.drop();
});

describe('a repository asked about another workspace', () => {
  it.each(Object.keys(TENANT_CASES))('%s: returns nothing and changes nothing of it; asked as its own workspace, it does', async (name) => {
    const spec = TENANT_CASES[name]!;
    const world = await seed();
    await spec.prepare?.(world);
    const before = await snapshotOf(world.a);

    // As B, about A's rows: nothing back, A unchanged (measured inside the transaction, before it is rolled back, and after).
    const asB = await inside(async (tx) => ({ result: await spec.call(repos, world.b, world, tx), after: await snapshotOf(world.a, tx) }));
    expect(spec.nothing(asB.result, world)).toBe(true);
    expect(asB.after).toBe(before);
    expect(await snapshotOf(world.a)).toBe(before);

    // As A: the same call reaches A's rows.
    const asA = await inside(async (tx) => ({ result: await spec.call(repos, world.a, world, tx), after: await snapshotOf(world.a, tx) }));
    if (spec.writes) expect(asA.after).not.toBe(before);
    else expect(spec.nothing(asA.result, world)).toBe(false);
  });

  it('covers every method of every repository: each is a tenant case or a SYSTEM method', () => {
    const methods = Object.values(repos).flatMap((repository) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(repository))
        .filter((name) => name !== 'constructor')
        .map((name) => `${repository.constructor.name}.${name}`),
    );
    const classified = new Set([...Object.keys(TENANT_CASES), ...SYSTEM_METHODS]);
    expect(methods.filter((method) => !classified.has(method))).toEqual([]);
    expect([...classified].filter((method) => !methods.includes(method))).toEqual([]);
  });
});

/** Runs `work` in a transaction that is rolled back afterwards: nothing it did stays, whatever it was. */
async function inside<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    return await work(runner.manager);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

const SNAPSHOT_SQL = `SELECT md5(concat_ws('|',
   (SELECT json_agg(t ORDER BY t.id)::text FROM workspaces t WHERE t.id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM api_keys t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM channels t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM posts t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM deliveries t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM attempts t JOIN deliveries d ON d.id = t.delivery_id WHERE d.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM webhook_endpoints t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM webhook_events t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM webhook_deliveries t JOIN webhook_endpoints e ON e.id = t.endpoint_id WHERE e.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.key)::text FROM idempotency_records t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.state)::text FROM oauth_flows t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM media t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.user_id)::text FROM members t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM invitations t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM audit_events t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM approval_notices t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.delivery_id)::text FROM metric_schedules t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM metric_snapshots t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM feeds t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.guid)::text FROM feed_items t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.row_hash)::text FROM post_import_rows t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM series t WHERE t.workspace_id = $1),
   (SELECT json_agg(t ORDER BY t.id)::text FROM tags t WHERE t.workspace_id = $1))) AS fingerprint`;
