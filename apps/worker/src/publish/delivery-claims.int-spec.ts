/**
 * A claim's writes against the real Postgres (and the webhooks queue on the
 * real Redis) when the worker that made it stalled past its lease and
 * another worker took the delivery over: the stale worker's outcome (a
 * retry, a failure, a wait for a lookup), its release, its lease renewal and
 * its kept references change nothing, so the delivery is not handed back to
 * be sent a second time while the recovering worker publishes it; a
 * publication still counts, whoever hears of it (the post is on the
 * network).
 *
 * The duplicate this guards against, as a Redis failover caused it: worker
 * A claims a LinkedIn delivery (2 s lease), then waits on Redis (the
 * breaker's admission) for longer than its lease and the settle time. The
 * reconciler hands the ended claim to worker B, which looks the post up
 * (not there: A never called) and sends it. A wakes, finds its lease over
 * (`lease_ending`, nothing sent) and records a retry: the delivery went
 * back to `scheduled`, B's publication was then ignored (no longer
 * `publishing`), and the retry published the post again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@herald/config';
import { AttemptsRepository, ChannelsRepository, DeliveriesRepository, PostsRepository, TokenCipher, WebhookEventsRepository, tenantOf } from '@herald/db';
import { WebhookQueue } from '@herald/queue';
import { cloneDatabase, TestDatabase } from '../../../../test/support/database';
import { REDIS_URL } from '../../../../test/support/env';
import { ClaimedDelivery, DeliveryClaims, isClaimed } from './delivery-claims';
import { OutcomeRecorder } from './outcome-recorder';

const LEASE_MS = 200;
const SETTLE_MS = 100;
const prefix = `int-claims-${randomBytes(4).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let webhookJobs: Queue;
let claims: DeliveryClaims;
let cipher: TokenCipher;

beforeAll(async () => {
  database = await cloneDatabase('claims');
  const ds = database.dataSource;
  const config = loadConfig({ LOOKUP_SETTLE_MS: String(SETTLE_MS), HERALD_QUEUE_PREFIX: prefix });
  cipher = new TokenCipher([randomBytes(32)]);
  const url = new URL(REDIS_URL);
  webhookJobs = new Queue('webhooks', { prefix, connection: { host: url.hostname, port: Number(url.port || 6379) } });
  const deliveries = new DeliveriesRepository(ds);
  const outcomes = new OutcomeRecorder(ds, new PostsRepository(ds), deliveries, new AttemptsRepository(ds), new ChannelsRepository(ds), new WebhookEventsRepository(ds), new WebhookQueue(webhookJobs));
  claims = new DeliveryClaims(deliveries, cipher, outcomes, config);
});

afterAll(async () => {
  await webhookJobs?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await database?.drop();
});

/** A LinkedIn channel's delivery, due now. */
async function dueDelivery(): Promise<string> {
  const db = database.dataSource;
  const [workspace] = await db.query(`INSERT INTO workspaces (name) VALUES ('claims') RETURNING id`);
  const tenant = tenantOf(workspace.id);
  const channel = await new ChannelsRepository(db).insert(tenant, {
    network: 'linkedin',
    handle: `li_${randomUUID().slice(0, 8)}`,
    timezone: 'UTC',
    postingSchedule: { slots: [] },
    accessToken: cipher.encrypt('token'),
    accountId: 'member',
  });
  const [postId, deliveryId] = [randomUUID(), randomUUID()];
  await new PostsRepository(db).insertWithDeliveries(
    tenant,
    { kind: 'api_key', id: randomUUID() },
    [{ id: postId, text: 'cluster-failover 12', media: [], variants: {}, status: 'scheduled', request_id: null, schedule: { mode: 'at' } }],
    [{ id: deliveryId, post_id: postId, channel_id: channel.id, status: 'scheduled', schedule_mode: 'at', scheduled_at: new Date(Date.now() - 1000).toISOString() }],
  );
  return deliveryId;
}

async function claimed(deliveryId: string, leaseMs = LEASE_MS): Promise<ClaimedDelivery> {
  const claim = await claims.claim(deliveryId, leaseMs);
  if (!isClaimed(claim)) throw new Error(`not claimed: ${JSON.stringify(claim)}`);
  return claim;
}

/** Worker A's claim ended (its lease and the settle time passed); worker B took the delivery over, as recovery does. */
async function takenOver(deliveryId: string): Promise<{ stale: ClaimedDelivery; current: ClaimedDelivery }> {
  const stale = await claimed(deliveryId);
  await sleep(LEASE_MS + SETTLE_MS + 50);
  expect(await claims.claim(deliveryId, LEASE_MS)).toEqual({ kind: 'interrupted' });
  const current = await claims.reclaim(deliveryId, 60_000);
  if (!current) throw new Error('not reclaimed');
  expect(current.claimToken).not.toBe(stale.claimToken);
  // A lookup reads the network from the first claim on.
  expect(current.claimedAt).toEqual(stale.claimedAt);
  return { stale, current };
}

async function row(deliveryId: string): Promise<{ status: string; lease_expires_at: Date | null; attempt_count: number; network_ref: string | null; last_error_code: string | null }> {
  const [found] = await database.dataSource.query(`SELECT status, lease_expires_at, attempt_count, network_ref, last_error_code FROM deliveries WHERE id = $1`, [deliveryId]);
  return found;
}

const leaseEnding = () => {
  const now = new Date();
  return { startedAt: now, finishedAt: now, outcome: 'transient' as const, errorCode: 'lease_ending', errorMessage: 'The claim on this delivery ends before a call could finish; the call was not sent' };
};

describe('DeliveryClaims: two jobs of one delivery claiming together', () => {
  it('hands the claim to one of them only, though their claims are made in one statement', async () => {
    const [other, id] = [await dueDelivery(), await dueDelivery()];
    // The first claim goes alone; the two that arrive while it is written go together, in one batch.
    const first = claims.claim(other, 60_000);
    const both = await Promise.all([claims.claim(id, 60_000), claims.claim(id, 60_000)]);
    expect(isClaimed(await first)).toBe(true);
    expect(both.filter(isClaimed)).toHaveLength(1);
    expect(both.filter((claim) => !isClaimed(claim))).toEqual([{ kind: 'held', leaseExpiresAt: expect.any(Date) }]);
    expect((await row(id)).attempt_count).toBe(1);
  });
});

describe('DeliveryClaims: a stale claim after another worker took the delivery over', () => {
  it('cannot hand the delivery back to be sent again: its retry changes nothing, and the recovering worker\'s publication stands', async () => {
    const id = await dueDelivery();
    const { stale, current } = await takenOver(id);
    const before = await row(id);

    // A wakes and records what its (unsent) call came to: a retry, soon.
    await claims.markRetry(stale, leaseEnding(), new Date(), false, { reason: 'network_unavailable', host: 'api.linkedin.com', since: new Date().toISOString() });
    expect(await row(id)).toEqual(before);
    // Nothing to claim: B holds it.
    expect(await claims.claim(id, LEASE_MS)).toEqual({ kind: 'held', leaseExpiresAt: expect.any(Date) });

    // B's call published the post.
    const now = new Date();
    await claims.markPublished(current, { startedAt: now, finishedAt: now, outcome: 'published' }, { externalId: 'urn:li:share:12', externalUrl: 'https://www.linkedin.com/feed/update/urn:li:share:12/' });
    expect((await row(id)).status).toBe('published');
    expect(await claims.claim(id, LEASE_MS)).toEqual({ kind: 'finished', status: 'published' });
    // Both attempts are in the delivery's history.
    const attempts = await database.dataSource.query(`SELECT outcome, error_code FROM attempts WHERE delivery_id = $1 ORDER BY started_at`, [id]);
    expect(attempts).toEqual([
      { outcome: 'transient', error_code: 'lease_ending' },
      { outcome: 'published', error_code: null },
    ]);
  });

  it('changes nothing by its failure, its wait for a lookup, its release, its renewal or its kept reference', async () => {
    const id = await dueDelivery();
    const { stale, current } = await takenOver(id);
    const before = await row(id);
    const now = new Date();

    await claims.markFailed(stale, { startedAt: now, finishedAt: now, outcome: 'rejected', errorCode: 'content_rejected', errorMessage: 'no' });
    await claims.awaitLookup(stale, { startedAt: now, finishedAt: now, outcome: 'transient', errorCode: 'timeout', errorMessage: 'No answer' });
    await claims.markMissed(stale, 10_000);
    expect(await claims.release(stale, new Date(), { reason: 'network_unavailable', host: 'api.linkedin.com' })).toBe(false);
    expect(await claims.renew(stale, 60_000)).toBe(false);
    await expect(claims.keepRef(stale, 'stale-ref')).rejects.toThrow(/no longer claimed/);
    expect(await row(id)).toEqual(before);

    // The current claim's own writes still do.
    expect(await claims.renew(current, 60_000)).toBe(true);
    await claims.keepRef(current, 'current-ref');
    expect((await row(id)).network_ref).toBe('current-ref');
    await claims.markRetry(current, leaseEnding(), new Date(), false);
    expect((await row(id)).status).toBe('scheduled');
  });

  it('still records a publication the stale worker heard of: the post is on the network', async () => {
    const id = await dueDelivery();
    const { stale } = await takenOver(id);
    const now = new Date();
    await claims.markPublished(stale, { startedAt: now, finishedAt: now, outcome: 'published' }, { externalId: 'urn:li:share:13', externalUrl: 'https://www.linkedin.com/feed/update/urn:li:share:13/' });
    expect((await row(id)).status).toBe('published');
  });

  it('is the claim\'s own while nobody took it over: a late outcome of an ended lease still applies', async () => {
    const id = await dueDelivery();
    const claim = await claimed(id);
    await sleep(LEASE_MS + 50);
    await claims.markRetry(claim, leaseEnding(), new Date(), false);
    expect((await row(id)).status).toBe('scheduled');
    // Claimed again: a new token, and the old one's writes no longer count.
    const again = await claimed(id, 60_000);
    expect(again.claimToken).not.toBe(claim.claimToken);
    await claims.markRetry(claim, leaseEnding(), new Date(), false);
    expect((await row(id)).status).toBe('publishing');
  });
});
