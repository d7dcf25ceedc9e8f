/**
 * The prepared-statement helper against a real Postgres: it must behave as
 * `manager.query` does (inside the caller's transaction when there is one,
 * rows for UPDATE ... RETURNING, QueryFailedError with the driver's code)
 * while Postgres plans each statement once per connection. And the batched
 * webhook event writer, which is one such statement.
 */
import { Client } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { SYSTEM, Statement, WebhookEventInput, WebhookEventsRepository, dataSourceOptions, runStatement } from '../libs/db/src';
import { POSTGRES_ADMIN_URL, databaseUrl, templateDatabase, testDatabase } from './support/env';

describe('runStatement', () => {
  const database = testDatabase('statements');
  let dataSource: DataSource;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${templateDatabase()}"`);
    dataSource = await new DataSource({ type: 'postgres', url: databaseUrl(database), extra: { max: 1 }, applicationName: 'statements-test' }).initialize();
    await dataSource.query(`INSERT INTO workspaces (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'one')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  const rename = new Statement(`UPDATE workspaces SET name = $2 WHERE id = $1 RETURNING name`);
  const read = new Statement(`SELECT name FROM workspaces WHERE id = $1`);
  const id = '00000000-0000-4000-8000-000000000001';

  it('names a statement after its text: the same text shares a name, another text never does', () => {
    expect(new Statement(read.text).name).toBe(read.name);
    expect(rename.name).not.toBe(read.name);
    expect(read.name).toMatch(/^herald_[0-9a-f]{24}$/);
  });

  it('answers the rows of an UPDATE ... RETURNING, and is prepared once on the connection', async () => {
    expect(await runStatement(dataSource.manager, rename, [id, 'two'])).toEqual([{ name: 'two' }]);
    expect(await runStatement(dataSource.manager, read, [id])).toEqual([{ name: 'two' }]);
    // One pooled connection: the second call of a statement reuses its plan there.
    await runStatement(dataSource.manager, read, [id]);
    const prepared: { name: string }[] = await dataSource.query(`SELECT name FROM pg_prepared_statements ORDER BY name`);
    expect(prepared.map((row) => row.name).sort()).toEqual([read.name, rename.name].sort());
  });

  it('runs inside the caller’s transaction: rolled back with it', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await runStatement(manager, rename, [id, 'inside']);
        expect(await runStatement(manager, read, [id])).toEqual([{ name: 'inside' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await runStatement(dataSource.manager, read, [id])).toEqual([{ name: 'two' }]);
  });

  it('sends the same statements unnamed, preparing nothing, from a data source made with preparedStatements off', async () => {
    const unnamed = await new DataSource({ ...dataSourceOptions({ url: databaseUrl(database), poolSize: 1, preparedStatements: false }) }).initialize();
    try {
      expect(await runStatement(unnamed.manager, read, [id])).toEqual([{ name: 'two' }]);
      await unnamed.transaction((manager) => runStatement(manager, read, [id]));
      expect(await unnamed.query(`SELECT name FROM pg_prepared_statements`)).toEqual([]);
    } finally {
      await unnamed.destroy();
    }
  });

  it('fails as manager.query fails: a QueryFailedError carrying the driver’s code', async () => {
    const insert = new Statement(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`);
    const error = await runStatement(dataSource.manager, insert, [id, 'duplicate']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as { code?: string }).code).toBe('23505');
  });

  describe('WebhookEventsRepository.record', () => {
    const recordWebhookEvents = (manager: DataSource['manager'], events: WebhookEventInput[]) => new WebhookEventsRepository(dataSource).record(SYSTEM, events, manager);
    const [quiet, busy] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b2'];
    let endpoints: Record<'all' | 'failures' | 'removed', string>;

    beforeAll(async () => {
      await dataSource.query(`INSERT INTO workspaces (id, name) VALUES ($1, 'quiet'), ($2, 'busy')`, [quiet, busy]);
      const insert = async (events: string[], deleted: boolean): Promise<string> =>
        (
          await dataSource.query(
            `INSERT INTO webhook_endpoints (workspace_id, url, events, secret, deleted_at) VALUES ($1, 'https://example.com/hook', $2, 'x', $3) RETURNING id`,
            [busy, events, deleted ? new Date() : null],
          )
        )[0].id;
      endpoints = {
        all: await insert(['post.published', 'post.failed', 'delivery.failed', 'channel.disconnected'], false),
        failures: await insert(['post.failed', 'delivery.failed'], false),
        removed: await insert(['post.published'], true),
      };
    });

    it('records, in one call, each event some live endpoint subscribes to, with one delivery per such endpoint', async () => {
      const ids = await dataSource.transaction((manager) =>
        recordWebhookEvents(manager, [
          { workspaceId: quiet, type: 'post.published', data: { postId: 'q1' } },
          { workspaceId: busy, type: 'post.published', data: { postId: 'b1', status: 'published' } },
          { workspaceId: busy, type: 'delivery.failed', data: { deliveryId: 'd1', error: { code: 'x', message: null } } },
        ]),
      );
      const rows: { id: string; endpoint_id: string; type: string; workspace_id: string; payload: { type: string; timestamp: string; data: unknown }; created_at: Date }[] =
        await dataSource.query(
          `SELECT wd.id, wd.endpoint_id, e.type, e.workspace_id, e.payload, e.created_at
             FROM webhook_deliveries wd JOIN webhook_events e ON e.id = wd.event_id WHERE wd.id = ANY($1::uuid[])`,
          [ids],
        );
      expect(rows).toHaveLength(3);
      const pairs = rows.map((row) => `${row.type} -> ${row.endpoint_id}`).sort();
      expect(pairs).toEqual(
        [`delivery.failed -> ${endpoints.all}`, `delivery.failed -> ${endpoints.failures}`, `post.published -> ${endpoints.all}`].sort(),
      );
      for (const row of rows) {
        expect(row.workspace_id).toBe(busy);
        expect(row.payload.type).toBe(row.type);
        // The payload's timestamp is the event's creation time, in ISO form with milliseconds.
        expect(row.payload.timestamp).toBe(row.created_at.toISOString());
      }
      expect(rows.find((row) => row.type === 'post.published')!.payload.data).toEqual({ postId: 'b1', status: 'published' });
      // A workspace with no endpoint gets no event at all.
      const [quietEvents] = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_events WHERE workspace_id = $1`, [quiet]);
      expect(quietEvents.n).toBe(0);
    });

    it('writes nothing when no event has a subscriber, and nothing for an empty batch', async () => {
      const [before] = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_events`);
      expect(await recordWebhookEvents(dataSource.manager, [{ workspaceId: quiet, type: 'post.failed', data: {} }])).toEqual([]);
      expect(await recordWebhookEvents(dataSource.manager, [])).toEqual([]);
      const [after] = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_events`);
      expect(after.n).toBe(before.n);
    });

    it('is rolled back with the change that caused it', async () => {
      const [before] = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries`);
      await expect(
        dataSource.transaction(async (manager) => {
          expect(await recordWebhookEvents(manager, [{ workspaceId: busy, type: 'post.failed', data: {} }])).toHaveLength(2);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const [after] = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries`);
      expect(after.n).toBe(before.n);
    });
  });
});
