/**
 * Hostile input, generated: 10,000 malformed requests (fast-check) across
 * every route, with garbage bodies, ids, query strings, content types and
 * headers; then valid requests with one hostile string placed in one field,
 * query parameter or path id (see support/hostile-input.ts for what each
 * class of character must get), and bodies nested past the depth limit.
 * None may answer 5xx, and none that is refused may write a row. Requests
 * are sent with an API key, the admin token, nothing, garbage, or a
 * signed-in person's session cookie (with and without its CSRF token).
 */
import fc from 'fast-check';
import { http } from './support/http';
import { UNSTORABLE, bodyFragment, expectedMessage, isFreeText, nestedJson, urlFragment, valueAt } from './support/hostile-input';
import { freshIds, hostileTargets, mediaOf, placeHostile } from './support/hostile-requests';
import { REPLACEMENTS, keysOf, mutate, nearValidBases, places, setAt, textBases } from './support/near-valid';
import { ROUTES } from './support/routes';
import { Stack } from './support/stack';

const SESSION_ENDERS = ['/v1/auth/sign-out', '/v1/auth/sign-out-everywhere', '/v1/auth/password'];
const PERSON = { email: 'fuzz-person@example.com', password: 'a fuzzing passphrase' };

/** The deepest JSON body the API reads (README, "Input"). */
const MAX_JSON_DEPTH = 32;

const COUNT_ROWS = `SELECT (SELECT count(*) FROM workspaces) + (SELECT count(*) FROM api_keys) * 1000 + (SELECT count(*) FROM channels) * 1000000
  + (SELECT count(*) FROM posts) * 1000000000 + (SELECT count(*) FROM deliveries) * 1000000000000
  + (SELECT count(*) FROM attempts) * 1000000000000000 AS fingerprint,
  (SELECT count(*) FROM users)::text || '/' || (SELECT count(*) FROM members)::text || '/' || (SELECT string_agg(role, ',' ORDER BY workspace_id, user_id) FROM members)
  || '/' || (SELECT count(*) FROM invitations)::text || '/' || (SELECT count(*) FROM invitations WHERE revoked_at IS NOT NULL OR accepted_at IS NOT NULL)::text
  || '/' || (SELECT count(*) FROM audit_events)::text || '/' || (SELECT count(*) FROM password_resets WHERE used_at IS NOT NULL)::text
  || '/' || (SELECT coalesce(max(password_changed_at), 'epoch') FROM users)::text AS people,
  (SELECT coalesce(max(updated_at), 'epoch') FROM channels)::text || (SELECT coalesce(max(updated_at), 'epoch') FROM posts)::text
  || (SELECT coalesce(max(updated_at), 'epoch') FROM deliveries)::text || (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::text
  || '/' || (SELECT count(*) FROM webhook_endpoints)::text || '/' || (SELECT count(*) FROM webhook_endpoints WHERE deleted_at IS NOT NULL)::text AS changes`;

describe('fuzzing every route', () => {
  let stack: Stack;
  let apiKey: string;
  let ids: string[];
  /** A signed-in person (the installation's first, the owner of a workspace of their own). */
  let session: { cookie: string; csrfToken: string };

  /** Signs the person in again (from an address of its own: the fuzzed sign-ins may have throttled loopback). */
  async function signIn(): Promise<void> {
    const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-in`, { body: PERSON, headers: { 'x-forwarded-for': `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } });
    if (answer.status !== 200) throw new Error(`sign-in: ${answer.status} ${JSON.stringify(answer.body)}`);
    session = { cookie: answer.headers.getSetCookie()[0]!.split(';')[0]!, csrfToken: answer.body.csrfToken };
  }

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0 });
    const signedUp = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: PERSON });
    if (signedUp.status !== 201) throw new Error(`sign-up: ${signedUp.status} ${JSON.stringify(signedUp.body)}`);
    await signIn();
    ({ apiKey } = await stack.workspace('fuzz'));
    const other = await stack.workspace('other');
    const channel = await stack.channel(apiKey, { network: 'x', handle: 'fuzz', postingSchedule: { slots: [{ day: 'mon', time: '09:00' }] } });
    const foreign = await stack.channel(other.apiKey, { network: 'x', handle: 'foreign' });
    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'x', channelIds: [channel.id], schedule: { mode: 'draft' } } });
    ids = [channel.id, foreign.id, post.body.id, '00000000-0000-0000-0000-000000000000', await mediaOf(stack, apiKey, 'fuzz')];
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
          note: fc.oneof(hostileString, fc.anything()),
          email: fc.oneof(fc.constantFrom(PERSON.email, 'someone@example.com', 'not an email'), hostileString, fc.anything()),
          role: fc.oneof(fc.constantFrom('owner', 'admin', 'editor', 'contributor', 'viewer', 'king'), hostileString, fc.anything()),
          token: fc.oneof(hostileString, fc.anything()),
          password: fc.oneof(hostileString, fc.constantFrom(PERSON.password, 'a long enough password'), fc.anything()),
          currentPassword: fc.oneof(hostileString, fc.anything()),
          newPassword: fc.oneof(hostileString, fc.anything()),
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
      auth: fc.constantFrom('key', 'key', 'key', 'admin', 'none', 'garbage', 'session', 'session-without-csrf'),
      idempotencyKey: fc.option(hostileString, { nil: undefined }),
    });

    let before = (await stack.db.query(COUNT_ROWS)).rows[0];
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const [method, template] = input.route;
        const path = template.replace(/:(id|name|state|userId|token|file)/g, input.id);
        const query = new URLSearchParams(input.query).toString();
        const token = input.auth === 'key' ? apiKey : input.auth === 'admin' ? stack.adminToken : input.auth === 'garbage' ? 'hrld_garbage' : undefined;
        const headers: Record<string, string> = { 'content-type': input.contentType };
        if (input.auth.startsWith('session')) headers.cookie = session.cookie;
        if (input.auth === 'session') headers['x-csrf-token'] = session.csrfToken;
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
        if (status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes || after.people !== before.people)) {
          failures.push(`wrote on ${status}: ${method} ${path} ${input.body.slice(0, 200)}`);
        }
        before = after;
        // A fuzzed sign-out (or password change) may end the session: the next ones go on with a fresh one.
        if (input.auth === 'session' && SESSION_ENDERS.includes(template) && status < 300) {
          await signIn();
          // The sign-in is recorded (a session, an audit event): not the next request's doing.
          before = (await stack.db.query(COUNT_ROWS)).rows[0];
        }
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 10_000 },
    );
    expect(failures).toEqual([]);
    // Ten thousand requests over every route (more with each feature): minutes on a loaded 2-core machine.
  }, 300_000);
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
          if (answer.status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes || after.people !== before.people)) {
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
        if (answer.status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes || after.people !== before.people)) {
          failures.push(`wrote on ${answer.status}: ${method} ${path} ${JSON.stringify(mutated)}`);
        }
        before = after;
      }),
      { numRuns: 3_000 },
    );
    expect(failures).toEqual([]);
  });

  it('refuses a hostile string alone in a valid request: NUL, unpaired surrogates and bad percent-encoding answer 400 naming the field and the character; other text is kept as sent (1,000 generated requests)', async () => {
    const targets = await hostileTargets(stack, apiKey, await freshIds(stack, apiKey, ids, 'hostile'));
    const request = fc.oneof(
      fc.record({ where: fc.constant('body' as const), base: fc.nat(targets.bodies.length - 1), at: fc.nat(), fragment: bodyFragment, position: fc.nat() }),
      fc.record({ where: fc.constant('query' as const), base: fc.nat(targets.queries.length - 1), at: fc.nat(), fragment: urlFragment, position: fc.nat() }),
      fc.record({ where: fc.constant('path' as const), base: fc.nat(targets.paths.length - 1), at: fc.constant(0), fragment: urlFragment, position: fc.nat() }),
    );
    let before = (await stack.db.query(COUNT_ROWS)).rows[0];
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const sent = placeHostile(targets, input);
        const answer = await http(sent.method, `${stack.apiUrl}${sent.url}`, {
          token: sent.token === 'key' ? apiKey : stack.adminToken,
          rawBody: sent.body === undefined ? undefined : JSON.stringify(sent.body),
        });
        const after = (await stack.db.query(COUNT_ROWS)).rows[0];
        const problems: string[] = [];
        if (answer.status >= 500) problems.push(`answered ${answer.status}`);
        if (answer.status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes || after.people !== before.people)) problems.push(`wrote on ${answer.status}`);
        before = after;
        if (UNSTORABLE.has(input.fragment.kind)) {
          const named = (answer.body?.errors ?? []).some((error: { path: string; message: string }) => error.path === sent.field && expectedMessage(input.fragment, input.where !== 'body').test(error.message));
          if (answer.status !== 400 || !named) problems.push(`expected a 400 naming ${sent.field}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } else if (sent.keys && !sent.isName && isFreeText(sent.keys) && ['c0', 'c1', 'bidi'].includes(input.fragment.kind)) {
          if (answer.status >= 300 || answer.body?.failed > 0) problems.push(`free text refused: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        }
        const echoed = sent.keys && !sent.isName && answer.status < 300 ? valueAt(answer.body, sent.keys) : undefined;
        if (typeof echoed === 'string' && echoed !== valueAt(sent.body, sent.keys!)) problems.push(`${sent.field} was changed: ${JSON.stringify(echoed).slice(0, 100)}`);
        expect({ request: `${sent.method} ${sent.url}`, problems }).toEqual({ request: expect.any(String), problems: [] });
      }),
      { numRuns: 1_000 },
    );
  });

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} with 400, before any recursive work; brackets inside strings do not count (200 generated bodies)`, async () => {
    const own = await freshIds(stack, apiKey, ids, 'deep');
    const bases = nearValidBases(own);
    const texts = textBases(own);
    const deep = fc.record({
      base: fc.nat(bases.length - 1),
      at: fc.nat(),
      depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: MAX_JSON_DEPTH - 3, max: MAX_JSON_DEPTH + 3 }), fc.integer({ min: 1_000, max: 60_000 })),
      kind: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
      decoy: fc.option(fc.string({ unit: fc.constantFrom('[', '{', '"', '\\', ']', 'a'), minLength: 1, maxLength: 200 }), { freq: 4, nil: undefined }),
    });
    let before = (await stack.db.query(COUNT_ROWS)).rows[0];
    await fc.assert(
      fc.asyncProperty(deep, async ({ base, at, depth, kind, decoy }) => {
        let target: (typeof bases)[number];
        let raw: string;
        let tooDeep = false;
        if (decoy !== undefined) {
          // Brackets and quotes inside a string are text, not nesting: the body is valid and accepted.
          target = texts[base % texts.length]!;
          const field = 'text' in (target.body as object) ? 'text' : 'name';
          raw = JSON.stringify({ ...(target.body as object), [field]: decoy });
        } else {
          target = bases[base]!;
          const all = places(target.body);
          const keys = keysOf(target.body, all[at % all.length]!);
          const holder = structuredClone(target.body) as Record<string | number, unknown>;
          setAt(holder, keys, '__deep__');
          raw = JSON.stringify(holder).replace('"__deep__"', nestedJson(depth, kind));
          tooDeep = keys.length + depth > MAX_JSON_DEPTH;
        }
        const answer = await http(target.method, `${stack.apiUrl}${target.path}`, { token: target.token === 'key' ? apiKey : stack.adminToken, rawBody: raw });
        const after = (await stack.db.query(COUNT_ROWS)).rows[0];
        const problems: string[] = [];
        if (answer.status >= 500) problems.push(`answered ${answer.status}`);
        if (answer.status >= 400 && (after.fingerprint !== before.fingerprint || after.changes !== before.changes || after.people !== before.people)) problems.push(`wrote on ${answer.status}`);
        before = after;
        if (tooDeep && (answer.status !== 400 || !/nested deeper than/.test(answer.body?.detail))) problems.push(`expected the depth refusal, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        if (decoy !== undefined && (answer.status >= 300 || answer.body?.failed > 0)) problems.push(`brackets in text refused: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        expect({ request: `${target.method} ${target.path} ${raw.slice(0, 120)}`, problems }).toEqual({ request: expect.any(String), problems: [] });
      }),
      { numRuns: 200 },
    );
  });

  it('answers 400 to 50,000 nested arrays and to a 1 MB nested body on every route that takes one, writes nothing and stays up', async () => {
    const own = await freshIds(stack, apiKey, ids, 'deepest');
    const before = (await stack.db.query(COUNT_ROWS)).rows[0];
    const halfMegabyte = 1_048_576 / 2 - 1;
    const bodies = [nestedJson(50_000, 'array'), `{"text":${nestedJson(50_000, 'mixed')}}`, nestedJson(halfMegabyte, 'array', '')];
    const answers: string[] = [];
    for (const { method, path, token } of nearValidBases(own)) {
      for (const raw of bodies) {
        const answer = await http(method, `${stack.apiUrl}${path}`, { token: token === 'key' ? apiKey : stack.adminToken, rawBody: raw });
        answers.push(`${method} ${path} (${raw.length} bytes): ${answer.status} ${String(answer.body?.detail).slice(0, 80)}`);
      }
    }
    expect(answers.filter((line) => !/: 400 .*nested deeper than/.test(line))).toEqual([]);
    expect((await stack.db.query(COUNT_ROWS)).rows[0]).toEqual(before);
    expect(stack.api!.child.exitCode).toBeNull();
    expect((await http('GET', `${stack.apiUrl}/health/live`)).status).toBe(200);
  });
});
