/**
 * Threads exactly once across a crash (issue 30): 40 threads of three parts
 * to X (no idempotency key: recovery looks each part up in the account's
 * timeline) and Mastodon (an Idempotency-Key per part), due in the same
 * second, the worker SIGKILLed while parts are in flight and a new one
 * started. Every part is on the network once, and every reply chain is
 * intact: part 2 answers part 1, part 3 answers part 2, each once. And 30
 * posts with a first comment to LinkedIn, Facebook and Instagram, the
 * worker SIGKILLed while posts are out and their comments not yet: each
 * post and each comment once, the comment under its own post.
 */
import { http, sleep, waitFor } from './support/http';
import { image, upload } from './support/media-files';
import { RunningProcess, Stack } from './support/stack';
import { FAST_RECOVERY } from './support/env';

interface MockRow {
  id: string;
  text: string;
  kind: 'post' | 'reply' | 'comment';
  replyTo: string | null;
}

const THREADS = 40;
const PARTS = 3;

describe('threads exactly once with the worker killed mid-burst', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: FAST_RECOVERY });
    ({ apiKey } = await stack.workspace('threads-crash'));
  });

  afterAll(async () => {
    if (stack) await http('DELETE', `${stack.mockUrl}/_mock/faults`).catch(() => undefined);
    await stack?.stop();
  });

  const liveWorker = (): RunningProcess => stack.workers.find((worker) => worker.child.exitCode === null && worker.child.signalCode === null)!;
  const rowsOf = async (network: string, handle: string) => (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network, handle })}`)).body.data as MockRow[];

  it(`publishes ${THREADS} threads of ${PARTS} parts to X and Mastodon, every part once and every chain intact`, async () => {
    const suffix = Date.now().toString(36);
    const x = await stack.channel(apiKey, { network: 'x', handle: `tx_${suffix}` });
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `tm_${suffix}@example.social` });
    for (const channel of [x, mastodon]) {
      expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: channel.network, handle: channel.handle, latencyMs: 40 } })).status).toBe(201);
    }
    const tag = `crash-thread-${suffix}`;
    const dueAt = Date.now() + 3000;
    const posts = Array.from({ length: THREADS }, (_, thread) => ({
      parts: Array.from({ length: PARTS }, (_, part) => ({ text: `${tag} ${thread} ${part + 1}/${PARTS}` })),
      channelIds: [x.id, mastodon.id],
      schedule: { mode: 'at', at: new Date(dueAt).toISOString() },
    }));
    const created = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(created.body.failed).toBe(0);
    await sleep(Math.max(0, dueAt + 300 - Date.now()));

    // Killed once threads are half out: some parts published, deliveries in the middle of their threads.
    let midThread = 0;
    try {
      await waitFor(
        'the burst to be under way',
        async () => {
          const { rows } = await stack.db.query(
            `SELECT count(*) FILTER (WHERE s.status = 'published')::int AS parts,
                    count(DISTINCT d.id) FILTER (WHERE d.status = 'publishing' AND s.status = 'published')::int AS mid_thread
               FROM deliveries d JOIN delivery_parts s ON s.delivery_id = d.id WHERE d.channel_id = ANY($1::uuid[])`,
            [[x.id, mastodon.id]],
          );
          midThread = rows[0].mid_thread;
          return rows[0].parts >= 20 && rows[0].mid_thread > 0;
        },
        { timeoutMs: 30_000, intervalMs: 10 },
      );
    } finally {
      await stack.kill(liveWorker(), 'SIGKILL');
      await stack.startWorker();
    }
    expect(midThread).toBeGreaterThan(0);

    await waitFor(
      'every delivery to finish',
      async () => {
        const { rows } = await stack.db.query(`SELECT count(*) FILTER (WHERE status IN ('published', 'failed'))::int AS done FROM deliveries WHERE channel_id = ANY($1::uuid[])`, [[x.id, mastodon.id]]);
        return rows[0].done === THREADS * 2;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const failed = await stack.db.query(`SELECT id, last_error_code, last_error_message FROM deliveries WHERE channel_id = ANY($1::uuid[]) AND status <> 'published'`, [[x.id, mastodon.id]]);
    expect(failed.rows).toEqual([]);

    for (const channel of [x, mastodon]) {
      const rows = (await rowsOf(channel.network, channel.handle)).filter((row) => row.text.startsWith(`${tag} `));
      // Every part once.
      expect(rows).toHaveLength(THREADS * PARTS);
      expect(new Set(rows.map((row) => row.text)).size).toBe(THREADS * PARTS);
      const byText = new Map(rows.map((row) => [row.text, row]));
      for (let thread = 0; thread < THREADS; thread += 1) {
        const chain = Array.from({ length: PARTS }, (_, part) => byText.get(`${tag} ${thread} ${part + 1}/${PARTS}`)!);
        // Every chain intact: the first a post, each next one a reply to the one before.
        expect(chain.map((row) => [row.kind, row.replyTo])).toEqual(chain.map((_, part) => (part === 0 ? ['post', null] : ['reply', chain[part - 1]!.id])));
      }
      // What Herald recorded is what the network has.
      const recorded = await stack.db.query(
        `SELECT s.external_id FROM delivery_parts s JOIN deliveries d ON d.id = s.delivery_id WHERE d.channel_id = $1 AND s.status = 'published'`,
        [channel.id],
      );
      expect(new Set(recorded.rows.map((row) => row.external_id))).toEqual(new Set(rows.map((row) => row.id)));
    }
    const looked = await stack.db.query(
      `SELECT count(*)::int AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.channel_id = $1 AND a.outcome IN ('lookup_found', 'lookup_not_found')`,
      [x.id],
    );
    // X takes no key: what the dead worker had in flight was looked up.
    expect(looked.rows[0].n).toBeGreaterThan(0);
  });

  const COMMENTED = 30;

  it(`publishes ${COMMENTED} posts with a first comment to LinkedIn, Facebook and Instagram, each post and each comment once`, async () => {
    const suffix = `${Date.now().toString(36)}c`;
    const channels = await Promise.all(['linkedin', 'facebook', 'instagram'].map((network) => stack.channel(apiKey, { network, handle: `${network}_${suffix}` })));
    // Comments slowed down, so the kill finds posts out and their comments in flight or not yet sent.
    for (const channel of channels) {
      expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: channel.network, handle: channel.handle, path: '/comments', latencyMs: 150 } })).status).toBe(201);
    }
    // Instagram takes no post without media.
    const uploaded = await upload(stack.apiUrl, apiKey, await image('jpeg', 1080, 1080), 'crash.jpg', 'image/jpeg');
    expect(uploaded.status).toBe(201);
    const tag = `crash-comment-${suffix}`;
    const ids = channels.map((channel) => channel.id);
    const dueAt = Date.now() + 3000;
    const posts = Array.from({ length: COMMENTED }, (_, index) => ({
      text: `${tag} post ${index}`,
      media: [{ mediaId: uploaded.body.id }],
      firstComment: { text: `${tag} comment ${index}` },
      channelIds: ids,
      schedule: { mode: 'at', at: new Date(dueAt).toISOString() },
    }));
    const created = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(created.body.failed).toBe(0);
    await sleep(Math.max(0, dueAt + 200 - Date.now()));

    // Killed once some posts are out with their comment still to come.
    let waiting = 0;
    try {
      await waitFor(
        'posts out with their comments to come',
        async () => {
          const { rows } = await stack.db.query(
            `SELECT count(DISTINCT d.id)::int AS n FROM deliveries d
               JOIN delivery_parts p ON p.delivery_id = d.id AND p.kind = 'part' AND p.status = 'published'
              WHERE d.channel_id = ANY($1::uuid[]) AND d.status = 'publishing'
                AND NOT EXISTS (SELECT 1 FROM delivery_parts c WHERE c.delivery_id = d.id AND c.kind = 'comment' AND c.status = 'published')`,
            [ids],
          );
          waiting = rows[0].n;
          return waiting >= 3;
        },
        { timeoutMs: 30_000, intervalMs: 10 },
      );
    } finally {
      await stack.kill(liveWorker(), 'SIGKILL');
      await stack.startWorker();
    }
    expect(waiting).toBeGreaterThanOrEqual(3);

    await waitFor(
      'every delivery to finish',
      async () => {
        const { rows } = await stack.db.query(`SELECT count(*) FILTER (WHERE status IN ('published', 'failed'))::int AS done FROM deliveries WHERE channel_id = ANY($1::uuid[])`, [ids]);
        return rows[0].done === COMMENTED * channels.length;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const failed = await stack.db.query(`SELECT id, last_error_code, last_error_message FROM deliveries WHERE channel_id = ANY($1::uuid[]) AND status <> 'published'`, [ids]);
    expect(failed.rows).toEqual([]);
    for (const channel of channels) {
      const rows = (await rowsOf(channel.network, channel.handle)).filter((row) => row.text.startsWith(`${tag} `));
      const byText = new Map<string, MockRow[]>();
      for (const row of rows) byText.set(row.text, [...(byText.get(row.text) ?? []), row]);
      for (let index = 0; index < COMMENTED; index += 1) {
        const [post, comment] = [byText.get(`${tag} post ${index}`) ?? [], byText.get(`${tag} comment ${index}`) ?? []];
        // Each once; the comment under its own post.
        expect({ network: channel.network, index, posts: post.length, comments: comment.length }).toEqual({ network: channel.network, index, posts: 1, comments: 1 });
        expect({ network: channel.network, index, kind: comment[0]!.kind, under: comment[0]!.replyTo === post[0]!.id }).toEqual({ network: channel.network, index, kind: 'comment', under: true });
      }
      expect(rows).toHaveLength(COMMENTED * 2);
    }
  });
});
