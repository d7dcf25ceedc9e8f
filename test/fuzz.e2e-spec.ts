/**
 * Hostile input, generated: 10,000 malformed requests (fast-check) across
 * every route, with garbage bodies, ids, query strings, content types and
 * headers. None may answer 5xx, and none that is refused may write a row.
 */
import fc from 'fast-check';
import { http } from './support/http';
import { ROUTES } from './support/routes';
import { Stack } from './support/stack';


const COUNT_ROWS = `SELECT (SELECT count(*) FROM workspaces) + (SELECT count(*) FROM api_keys) * 1000 + (SELECT count(*) FROM channels) * 1000000
  + (SELECT count(*) FROM posts) * 1000000000 + (SELECT count(*) FROM deliveries) * 1000000000000
  + (SELECT count(*) FROM attempts) * 1000000000000000 AS fingerprint,
  (SELECT coalesce(max(updated_at), 'epoch') FROM channels)::text || (SELECT coalesce(max(updated_at), 'epoch') FROM posts)::text
  || (SELECT coalesce(max(updated_at), 'epoch') FROM deliveries)::text || (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::text
  || '/' || (SELECT count(*) FROM webhook_endpoints)::text || '/' || (SELECT count(*) FROM webhook_endpoints WHERE deleted_at IS NOT NULL)::text AS changes`;

describe('fuzzing every route', () => {
  let stack: Stack;
  let apiKey: string;
  let ids: string[];

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0 });
    ({ apiKey } = await stack.workspace('fuzz'));
    const other = await stack.workspace('other');
    const channel = await stack.channel(apiKey, { network: 'x', handle: 'fuzz', postingSchedule: { slots: [{ day: 'mon', time: '09:00' }] } });
    const foreign = await stack.channel(other.apiKey, { network: 'x', handle: 'foreign' });
    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'x', channelIds: [channel.id], schedule: { mode: 'draft' } } });
    ids = [channel.id, foreign.id, post.body.id, '00000000-0000-0000-0000-000000000000'];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('never answers 5xx and never writes on a refusal (10,000 generated requests)', async () => {
    const segment = fc.oneof(
      fc.constantFrom(...ids),
      fc.string({ maxLength: 40 }).map((text) => encodeURIComponent(text) || 'x'),
      fc.constantFrom('publish', 'reconcile', 'nope', '%00', '..', '1e9999', 'null'),
    );
    const hostileString = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', ' ', '\u0000', '💥'.repeat(100), 'a'.repeat(5000), "'; DROP TABLE posts; --", '<script>', '../../etc/passwd', 'NaN', '-1'),
    );
    const schedule = fc.oneof(
      fc.record({ mode: fc.constantFrom('at', 'queue', 'next', 'now', 'draft', 'soon'), at: hostileString, localTime: hostileString, timezone: hostileString }, { requiredKeys: ['mode'] }),
      fc.anything(),
    );
    const body = fc.oneof(
      fc.anything(),
      fc.record(
        {
          text: fc.oneof(hostileString, fc.anything()),
          channelIds: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...ids), hostileString), { maxLength: 5 }), fc.anything()),
          media: fc.oneof(fc.array(fc.record({ url: hostileString, alt: hostileString, type: hostileString }), { maxLength: 12 }), fc.anything()),
          variants: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(...ids), fc.string()), fc.anything()), fc.anything()),
          schedule,
          name: hostileString,
          network: fc.oneof(fc.constantFrom('x', 'bluesky', 'myspace'), hostileString),
          handle: hostileString,
          timezone: hostileString,
          postingSchedule: fc.anything(),
          status: fc.oneof(fc.constantFrom('active', 'paused', 'disconnected'), hostileString),
          url: fc.oneof(hostileString, fc.constantFrom('https://hooks.example.com/x', 'http://127.0.0.1/x', 'javascript:alert(1)')),
          events: fc.oneof(fc.array(fc.oneof(fc.constantFrom('post.published', 'post.failed'), hostileString), { maxLength: 5 }), fc.anything()),
          posts: fc.oneof(fc.array(fc.anything(), { maxLength: 4 }), fc.anything()),
          deliveryIds: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...ids), hostileString), { maxLength: 5 }), fc.anything()),
        },
        { requiredKeys: [] },
      ),
    );
    const rawBody = fc.oneof(body.map((value) => { try { return JSON.stringify(value) ?? 'undefined'; } catch { return '{'; } }), fc.string({ maxLength: 200 }), fc.constantFrom('{', '[1,', '{"text":', 'null', '""'));
    const request = fc.record({
      route: fc.constantFrom(...ROUTES),
      id: segment,
      query: fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'channelId', 'from', 'to', 'state', 'x'), hostileString, { maxKeys: 3 }),
      body: rawBody,
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/merge-patch+json'),
      auth: fc.constantFrom('key', 'key', 'key', 'admin', 'none', 'garbage'),
      idempotencyKey: fc.option(hostileString, { nil: undefined }),
    });

    let before = (await stack.db.query(COUNT_ROWS)).rows[0];
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const [method, template] = input.route;
        const path = template.replace(':id', input.id).replace(':name', input.id);
        const query = new URLSearchParams(input.query).toString();
        const token = input.auth === 'key' ? apiKey : input.auth === 'admin' ? stack.adminToken : input.auth === 'garbage' ? 'hrld_garbage' : undefined;
        const headers: Record<string, string> = { 'content-type': input.contentType };
        if (input.idempotencyKey !== undefined) headers['idempotency-key'] = input.idempotencyKey.replace(/[\r\n\0]|[^\x00-\xff]/g, '?').slice(0, 400).trim() || 'k';
        let status: number;
        try {
          const hasBody = method !== 'GET' && method !== 'DELETE';
          status = (await http(method, `${stack.apiUrl}${path}${query ? `?${query}` : ''}`, { token, headers, rawBody: hasBody ? input.body : undefined })).status;
        } catch (error) {
          // A header value fetch itself refuses to send is not a request the API saw.
          if ((error as Error).name === 'TypeError' && /header|ByteString/i.test(String((error as Error).message))) return;
          throw error;
        }
        const after = (await stack.db.query(COUNT_ROWS)).rows[0];
        if (status >= 500) failures.push(`${status} ${method} ${path}?${query} ${input.body.slice(0, 200)}`);
        if (status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes)) {
          failures.push(`wrote on ${status}: ${method} ${path} ${input.body.slice(0, 200)}`);
        }
        before = after;
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 10_000 },
    );
    expect(failures).toEqual([]);
  });
  it('never answers 5xx to any valid body with one field removed, or replaced by or joined with a value of another kind (every combination)', async () => {
    const bases = nearValidBases(ids);
    let before = (await stack.db.query(COUNT_ROWS)).rows[0];
    const failures: string[] = [];
    let sent = 0;
    for (const { method, path, token, body } of bases) {
      for (let at = 0; at < places(body).length; at += 1) {
        const variants = [mutate(body, at, 'remove', undefined), ...REPLACEMENTS.flatMap((value) => [mutate(body, at, 'replace', value), mutate(body, at, 'add', value)])];
        for (const mutated of variants) {
          const answer = await http(method, `${stack.apiUrl}${path}`, { token: token === 'key' ? apiKey : stack.adminToken, body: mutated });
          sent += 1;
          const after = (await stack.db.query(COUNT_ROWS)).rows[0];
          if (answer.status >= 500) failures.push(`${answer.status} ${method} ${path} ${JSON.stringify(mutated)}`);
          if (answer.status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes)) {
            failures.push(`wrote on ${answer.status}: ${method} ${path} ${JSON.stringify(mutated)}`);
          }
          before = after;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  });

  it('never answers 5xx to a valid body with one field removed, nulled, retyped or added (3,000 generated requests)', async () => {
    const bases = nearValidBases(ids);
    const replacement = fc.oneof(
      fc.constant(null),
      fc.constantFrom(...REPLACEMENTS),
      fc.string({ maxLength: 20 }),
    );
    const mutation = fc.record({
      base: fc.nat(bases.length - 1),
      at: fc.nat(),
      op: fc.constantFrom('remove', 'replace', 'add'),
      value: replacement,
    });
    let before = (await stack.db.query(COUNT_ROWS)).rows[0];
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(mutation, async ({ base, at, op, value }) => {
        const { method, path, token, body } = bases[base]!;
        const mutated = mutate(body, at, op, value);
        const answer = await http(method, `${stack.apiUrl}${path}`, { token: token === 'key' ? apiKey : stack.adminToken, body: mutated });
        const after = (await stack.db.query(COUNT_ROWS)).rows[0];
        if (answer.status >= 500) failures.push(`${answer.status} ${method} ${path} ${JSON.stringify(mutated)}`);
        if (answer.status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes)) {
          failures.push(`wrote on ${answer.status}: ${method} ${path} ${JSON.stringify(mutated)}`);
        }
        before = after;
      }),
      { numRuns: 3_000 },
    );
    expect(failures).toEqual([]);
  });
});

/** Every place in a JSON value (the value itself excluded): [container, key]. */
function places(value: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const found: [Record<string, unknown> | unknown[], string | number][] = [];
  if (Array.isArray(value)) value.forEach((item, index) => found.push([value, index], ...places(item)));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) found.push([value as Record<string, unknown>, key], ...places(item));
  return found;
}

/** A copy of `body` with one change at the `at`-th place: the field removed, replaced, or an unknown one added beside it. */
function mutate(body: unknown, at: number, op: 'remove' | 'replace' | 'add', value: unknown): unknown {
  const copy = structuredClone(body);
  const all = places(copy);
  const [container, key] = all[at % all.length]!;
  if (op === 'add') {
    if (Array.isArray(container)) container.push(value);
    else container[`unknown_${String(key)}`] = value;
  } else if (op === 'remove') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else {
    (container as Record<string | number, unknown>)[key] = value;
  }
  return copy;
}

/** Values of every JSON kind, and a few that are the right kind but wrong (an id that names nothing). */
const REPLACEMENTS: unknown[] = [null, 0, -1, 1e308, true, '', 'x', [], {}, [null], { mode: 'now' }, '00000000-0000-0000-0000-000000000000'];

/** A valid body for every route that takes one. */
function nearValidBases(ids: string[]): { method: string; path: string; token: 'key' | 'admin'; body: unknown }[] {
  const [channelId, , postId] = ids;
  const post = { text: 'near valid', channelIds: [channelId], media: [{ url: 'https://cdn.example.com/a.png', alt: 'a' }], variants: {}, schedule: { mode: 'draft' } };
  return [
    { method: 'POST', path: '/v1/posts', token: 'key', body: post },
    { method: 'POST', path: '/v1/posts', token: 'key', body: { ...post, schedule: { mode: 'at', localTime: '2099-03-29T02:30', timezone: 'Europe/Berlin' } } },
    { method: 'POST', path: '/v1/posts/bulk', token: 'key', body: { posts: [post, { ...post, schedule: { mode: 'queue' } }] } },
    { method: 'PATCH', path: `/v1/posts/${postId}`, token: 'key', body: { text: 'edited', media: [], variants: {}, schedule: { mode: 'at', at: '2099-01-01T09:00:00Z' } } },
    { method: 'POST', path: '/v1/channels', token: 'key', body: { network: 'x', handle: 'near', timezone: 'Europe/Berlin', postingSchedule: { slots: [{ day: 'mon', time: '09:00' }] } } },
    { method: 'PATCH', path: `/v1/channels/${channelId}`, token: 'key', body: { timezone: 'UTC', postingSchedule: { slots: [{ day: 'tue', time: '10:00' }] }, status: 'active' } },
    { method: 'POST', path: `/v1/channels/${channelId}/queue/reorder`, token: 'key', body: { deliveryIds: [] } },
    { method: 'POST', path: '/v1/webhooks', token: 'key', body: { url: 'https://hooks.example.com/x', events: ['post.published'] } },
    { method: 'POST', path: '/v1/api-keys', token: 'key', body: { name: 'near' } },
    { method: 'POST', path: '/v1/workspaces', token: 'admin', body: { name: 'near' } },
  ];
}
