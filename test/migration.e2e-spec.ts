/**
 * Upgrading: a database made by the migration before channel connections
 * (1764300000000), holding channels connected the old way (a handle and an
 * access token, no account id, no host, no refresh token) on every network
 * and a post already scheduled, is migrated with `npm run migrate` as an
 * operator would, and Herald then publishes the waiting post and new ones
 * to those same channels.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TokenCipher } from '@herald/db';
import { dataSourceOptions } from '../libs/db/src/data-source';
import { MIGRATIONS } from '../libs/db/src/migrations';
import { POSTGRES_ADMIN_URL, databaseUrl, testDatabase } from './support/env';
import { http, waitFor } from './support/http';
import { Stack, blueskyHandle } from './support/stack';
import { FileServer, image, startFileServer } from './support/media-files';

const PREVIOUS = 'DeliveryNetworkRef1764300000000';
const NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;

describe('channels connected before the upgrade', () => {
  let stack: Stack;
  const apiKey = `hrld_${randomBytes(24).toString('hex')}`;
  const suffix = Date.now().toString(36);
  /** The mock's account for each network, and what the old channel row called it. */
  const accounts: Record<string, { mockHandle: string; storedHandle: string; channelId?: string }> = {};
  let waitingPostIds: string[] = [];
  let migrateOutput = '';

  let files: FileServer;

  beforeAll(async () => {
    // Where the old posts' media URLs point: a server of the test's own (127.0.0.2, allowed by the URL policy).
    files = await startFileServer();
    files.put('/before.jpg', await image('jpeg', 1080, 1080), 'image/jpeg');
    files.put('/after.jpg', await image('jpeg', 1080, 1080), 'image/jpeg');
    const database = testDatabase();
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    // The schema as the release before this one left it.
    const old = new DataSource({ ...dataSourceOptions({ url: databaseUrl(database) }), migrations: MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === PREVIOUS) + 1) });
    await old.initialize();
    const ran = await old.runMigrations({ transaction: 'each' });
    expect(ran.at(-1)?.name).toBe(PREVIOUS);
    await old.destroy();

    stack = await Stack.start({
      database,
      env: { RETRY_BACKOFF_MS: '100', HERALD_URL_ALLOWLIST: '127.0.0.2' },
      beforeApps: async (running) => {
        const cipher = new TokenCipher([Buffer.from(running.encryptionKey, 'base64')]);
        const db = new Client({ connectionString: databaseUrl(database) });
        await db.connect();
        try {
          const [{ id: workspaceId }] = (await db.query(`INSERT INTO workspaces (name) VALUES ('from before') RETURNING id`)).rows;
          await db.query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash) VALUES ($1, 'old key', $2, $3)`, [
            workspaceId,
            apiKey.slice(0, 12),
            createHash('sha256').update(apiKey).digest('hex'),
          ]);
          for (const network of NETWORKS) {
            const name = `legacy_${network}_${suffix}`;
            const mockHandle = network === 'bluesky' ? blueskyHandle(name) : name;
            const issued = await http('POST', `${running.mockUrl}/_mock/tokens`, { body: { network, handle: mockHandle } });
            expect(issued.status).toBe(200);
            // Facebook channels kept the Page's token; the old Mastodon handle named its instance.
            const token = network === 'facebook' ? issued.body.pageAccessToken : issued.body.accessToken;
            const storedHandle = network === 'mastodon' ? `${name}@${new URL(running.networkUrl('mastodon')).host}` : mockHandle;
            const [row] = (
              await db.query(`INSERT INTO channels (workspace_id, network, handle, access_token) VALUES ($1, $2, $3, $4) RETURNING id`, [
                workspaceId,
                network,
                network === 'linkedin' ? issued.body.accountId : storedHandle,
                cipher.encrypt(token),
              ])
            ).rows;
            accounts[network] = { mockHandle, storedHandle, channelId: row.id };
          }
          // A post scheduled before the upgrade, due by the time Herald is back (Instagram's with its picture, as it must have).
          const schedulePost = async (networks: readonly string[], media: unknown[]) => {
            const [{ id: postId }] = (
              await db.query(`INSERT INTO posts (workspace_id, text, media, status) VALUES ($1, 'scheduled before the upgrade', $2, 'scheduled') RETURNING id`, [
                workspaceId,
                JSON.stringify(media),
              ])
            ).rows;
            for (const network of networks) {
              await db.query(
                `INSERT INTO deliveries (post_id, workspace_id, channel_id, status, schedule_mode, scheduled_at, due_at)
                 VALUES ($1, $2, $3, 'scheduled', 'at', now() + interval '2 seconds', now() + interval '2 seconds')`,
                [postId, workspaceId, accounts[network]!.channelId],
              );
            }
            return postId as string;
          };
          waitingPostIds = [
            await schedulePost(NETWORKS.filter((network) => network !== 'instagram'), []),
            await schedulePost(['instagram'], [{ url: `${files.url}/before.jpg`, alt: 'before' }]),
          ];
        } finally {
          await db.end();
        }
        migrateOutput = execFileSync(process.execPath, [join(__dirname, '../dist/libs/db/src/migrate.js')], {
          env: { ...process.env, ...running.env, NODE_ENV: 'test' },
          encoding: 'utf8',
        });
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await files?.stop();
  });

  it('migrates with npm run migrate, leaving the old channels as they were', async () => {
    expect(migrateOutput).toContain('ChannelConnections1764400000000');
    const { rows } = await stack.db.query(`SELECT network, status, account_id, host, refresh_token, details FROM channels ORDER BY network`);
    expect(rows).toHaveLength(NETWORKS.length);
    for (const row of rows) expect(row).toMatchObject({ status: 'active', account_id: null, host: null, refresh_token: null, details: {} });
  });

  it('publishes the post scheduled before the upgrade to each old channel once', async () => {
    const posts = await waitFor('the old posts', async () => {
      const answers = await Promise.all(waitingPostIds.map(async (id) => (await http('GET', `${stack.apiUrl}/v1/posts/${id}`, { token: apiKey })).body));
      return answers.every((answer) => ['published', 'failed', 'partially_published'].includes(answer.status)) ? answers : undefined;
    }, { timeoutMs: 30_000 });
    expect(posts.flatMap((post) => post.deliveries).filter((delivery: { status: string }) => delivery.status !== 'published')).toEqual([]);
    for (const network of NETWORKS) {
      const accepted = await stack.mockPosts({ network, handle: accounts[network]!.mockHandle });
      expect({ network, texts: accepted.map((entry) => entry.text) }).toEqual({ network, texts: ['scheduled before the upgrade'] });
    }
    // The old post named its picture by URL: it was imported into the media library when it was published.
    const [instagram] = (await http('GET', `${stack.mockUrl}/_mock/posts?network=instagram&handle=${accounts.instagram!.mockHandle}`)).body.data;
    expect(instagram.media).toEqual([expect.objectContaining({ type: 'image', mimeType: 'image/jpeg', width: 1080, height: 1080, alt: 'before' })]);
    expect((await stack.db.query(`SELECT source_url FROM media`)).rows).toEqual([{ source_url: `${files.url}/before.jpg` }]);
  });

  it('publishes new posts to the old channels (Instagram with its picture)', async () => {
    const create = (networks: readonly string[], extra: Record<string, unknown>) =>
      http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'after the upgrade', channelIds: networks.map((network) => accounts[network]!.channelId), schedule: { mode: 'now' }, ...extra } });
    const created = [
      await create(NETWORKS.filter((network) => network !== 'instagram'), {}),
      await create(['instagram'], { media: [{ url: `${files.url}/after.jpg`, alt: 'a photo' }] }),
    ];
    for (const answer of created) expect(answer.status).toBe(201);
    const deliveries = await waitFor('the new posts', async () => {
      const posts = await Promise.all(created.map(async (answer) => (await http('GET', `${stack.apiUrl}/v1/posts/${answer.body.id}`, { token: apiKey })).body));
      const all = posts.flatMap((post) => post.deliveries as { status: string; lastError: unknown }[]);
      return all.every((delivery) => ['published', 'failed'].includes(delivery.status)) ? all : undefined;
    }, { timeoutMs: 30_000 });
    expect(deliveries.map((delivery) => [delivery.status, delivery.lastError])).toEqual(NETWORKS.map(() => ['published', null]));
    for (const network of NETWORKS) {
      expect((await stack.mockPosts({ network, handle: accounts[network]!.mockHandle })).map((entry) => entry.text)).toContain('after the upgrade');
    }
  });
});
