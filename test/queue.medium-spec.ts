/**
 * Buffer's queue: posting slots in the channel's zone, `queue` and `next`,
 * reorder, shuffle and a zone change, each leaving the BullMQ delays equal to
 * the new times; a claimed delivery never moves (409).
 */
import { DateTime } from 'luxon';
import { http } from './support/http';
import { InProcessStack } from './support/in-process';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((day) => [
  { day, time: '09:00' },
  { day, time: '15:00' },
]);

describe('channel queues', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    // A week-long horizon puts every queued slot in Redis, so the delays can be checked.
    stack = await InProcessStack.start({ workers: 0, env: { HERALD_HORIZON_SECONDS: String(8 * 86400) } });
    ({ apiKey } = await stack.workspace('queues'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });

  /** When BullMQ will run the delivery's job: its creation time plus its delay. */
  async function jobDueAt(deliveryId: string): Promise<string | null> {
    const [timestamp, delay] = await stack.redis.hmget(`${stack.queuePrefix}:publish:${deliveryId}`, 'timestamp', 'delay');
    if (timestamp === null) return null;
    return new Date(Number(timestamp) + Number(delay ?? 0)).toISOString();
  }

  async function queueOf(channelId: string): Promise<{ deliveryId: string; postId: string; scheduledAt: string; text: string }[]> {
    const answer = await api('GET', `/v1/channels/${channelId}/queue`);
    expect(answer.status).toBe(200);
    return answer.body.data;
  }

  async function expectDelaysMatch(channelId: string): Promise<void> {
    for (const entry of await queueOf(channelId)) expect(await jobDueAt(entry.deliveryId)).toBe(entry.scheduledAt);
  }

  async function queuedChannel(timezone: string) {
    const channel = await stack.channel(apiKey, {
      network: 'mastodon',
      handle: `q${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.social`,
      timezone,
      postingSchedule: { slots: EVERY_DAY },
    });
    const posts: string[] = [];
    for (const text of ['first', 'second', 'third']) {
      const answer = await api('POST', '/v1/posts', { text, channelIds: [channel.id], schedule: { mode: 'queue' } });
      expect(answer.status).toBe(201);
      posts.push(answer.body.id);
    }
    return { channel, posts };
  }

  it('gives queued posts the next free slots, at 09:00 and 15:00 local time, with matching BullMQ delays', async () => {
    const { channel } = await queuedChannel('America/New_York');
    const queue = await queueOf(channel.id);
    expect(queue.map((entry) => entry.text)).toEqual(['first', 'second', 'third']);
    const times = queue.map((entry) => DateTime.fromISO(entry.scheduledAt, { zone: 'America/New_York' }));
    for (const time of times) expect(['09:00', '15:00']).toContain(time.toFormat('HH:mm'));
    expect(new Set(queue.map((entry) => entry.scheduledAt)).size).toBe(3);
    expect(Date.parse(queue[0]!.scheduledAt)).toBeGreaterThan(Date.now());
    await expectDelaysMatch(channel.id);
  });

  it('puts a "next" post at the front and moves the others down one slot', async () => {
    const { channel } = await queuedChannel('Europe/Berlin');
    const before = await queueOf(channel.id);
    const next = await api('POST', '/v1/posts', { text: 'urgent', channelIds: [channel.id], schedule: { mode: 'next' } });
    expect(next.status).toBe(201);
    const after = await queueOf(channel.id);
    expect(after.map((entry) => entry.text)).toEqual(['urgent', 'first', 'second', 'third']);
    expect(after[0]!.scheduledAt).toBe(before[0]!.scheduledAt);
    expect(after[1]!.scheduledAt).toBe(before[1]!.scheduledAt);
    expect(after[2]!.scheduledAt).toBe(before[2]!.scheduledAt);
    expect(Date.parse(after[3]!.scheduledAt)).toBeGreaterThan(Date.parse(before[2]!.scheduledAt));
    await expectDelaysMatch(channel.id);
  });

  it('reorders and shuffles: the same slots, taken in the new order, with matching delays', async () => {
    const { channel } = await queuedChannel('Asia/Tokyo');
    const before = await queueOf(channel.id);
    const reversed = [...before].reverse().map((entry) => entry.deliveryId);
    const reordered = await api('POST', `/v1/channels/${channel.id}/queue/reorder`, { deliveryIds: reversed });
    expect(reordered.status).toBe(200);
    expect(reordered.body.data.map((entry: { text: string }) => entry.text)).toEqual(['third', 'second', 'first']);
    expect(reordered.body.data.map((entry: { scheduledAt: string }) => entry.scheduledAt)).toEqual(before.map((entry) => entry.scheduledAt));
    await expectDelaysMatch(channel.id);

    const shuffled = await api('POST', `/v1/channels/${channel.id}/queue/shuffle`);
    expect(shuffled.status).toBe(200);
    expect(shuffled.body.data.map((entry: { scheduledAt: string }) => entry.scheduledAt)).toEqual(before.map((entry) => entry.scheduledAt));
    expect([...shuffled.body.data.map((entry: { text: string }) => entry.text)].sort()).toEqual(['first', 'second', 'third']);
    await expectDelaysMatch(channel.id);

    const partial = await api('POST', `/v1/channels/${channel.id}/queue/reorder`, { deliveryIds: reversed.slice(1) });
    expect(partial.status).toBe(422);

    // Both moves are in the audit log (newest first), by the key that made them, naming the channel as the API does; the refused one is not.
    const { network, handle } = (await api('GET', `/v1/channels/${channel.id}`)).body as { network: string; handle: string };
    const audit = (await api('GET', '/v1/audit?limit=50')).body.data as { action: string; subject: { id: string }; actor: { kind: string }; details: Record<string, unknown> }[];
    expect(audit.filter((event) => event.action === 'channel.queue_reordered' && event.subject.id === channel.id).map((event) => [event.actor.kind, event.details])).toEqual([
      ['api_key', { network, handle, shuffled: true, queued: 3 }],
      ['api_key', { network, handle, shuffled: false, queued: 3 }],
    ]);
  });

  it('re-times the queue to the new zone when the channel moves, keeping its order', async () => {
    const { channel } = await queuedChannel('America/Los_Angeles');
    const patched = await api('PATCH', `/v1/channels/${channel.id}`, { timezone: 'Europe/Paris' });
    expect(patched.status).toBe(200);
    const queue = await queueOf(channel.id);
    expect(queue.map((entry) => entry.text)).toEqual(['first', 'second', 'third']);
    for (const entry of queue) {
      expect(['09:00', '15:00']).toContain(DateTime.fromISO(entry.scheduledAt, { zone: 'Europe/Paris' }).toFormat('HH:mm'));
    }
    await expectDelaysMatch(channel.id);
    const emptied = await api('PATCH', `/v1/channels/${channel.id}`, { postingSchedule: { slots: [] } });
    expect(emptied.status).toBe(422);
  });

  it('never moves a delivery a worker has claimed: 409 for reorder, edit and cancel', async () => {
    const { channel, posts } = await queuedChannel('UTC');
    const queue = await queueOf(channel.id);
    const claimed = queue[0]!;
    // What a worker's claim does to the row.
    await stack.db.query(`UPDATE deliveries SET status = 'publishing', claimed_at = now(), lease_expires_at = now() + interval '1 minute' WHERE id = $1`, [
      claimed.deliveryId,
    ]);
    const reorder = await api('POST', `/v1/channels/${channel.id}/queue/reorder`, { deliveryIds: [claimed.deliveryId, ...queue.slice(1).map((e) => e.deliveryId)] });
    expect(reorder.status).toBe(409);
    expect((await api('PATCH', `/v1/posts/${posts[0]}`, { text: 'too late' })).status).toBe(409);
    expect((await api('DELETE', `/v1/posts/${posts[0]}`)).status).toBe(409);
    const row = await stack.db.query('SELECT status, scheduled_at FROM deliveries WHERE id = $1', [claimed.deliveryId]);
    expect(row.rows[0].status).toBe('publishing');
    expect(row.rows[0].scheduled_at.toISOString()).toBe(claimed.scheduledAt);
  });

  it('answers 422 for the queue on a channel without a posting schedule', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: `noslots_${Date.now().toString(36)}`, postingSchedule: { slots: [] } });
    const answer = await api('POST', '/v1/posts', { text: 'queued', channelIds: [channel.id], schedule: { mode: 'queue' } });
    expect(answer.status).toBe(422);
  });
});
