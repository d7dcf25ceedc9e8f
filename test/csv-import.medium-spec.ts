/**
 * CSV import (`POST /v1/posts/import`, docs/feeds-and-import.md): a dry run
 * per row with the checks a create makes, naming the bad row; `?commit=true`
 * makes the good rows into posts; the same file again makes none; a file
 * that is not what an import takes is a 4xx problem and writes nothing.
 */
import { http } from './support/http';
import { InProcessStack } from './support/in-process';

describe('CSV import', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let x: { id: string; apiHandle: string };
  let mastodon: { id: string; apiHandle: string };

  beforeAll(async () => {
    stack = await InProcessStack.start();
    ({ apiKey } = await stack.workspace('csv-import'));
    x = await stack.channel(apiKey, { network: 'x', handle: `csv_x_${Date.now().toString(36)}` });
    mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `csv_m_${Date.now().toString(36)}` });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const send = (csv: string, query = '', type = 'text/csv') => http('POST', `${stack.apiUrl}/v1/posts/import${query}`, { token: apiKey, rawBody: csv, headers: { 'content-type': type } });
  const postsLike = async (prefix: string) => (await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE text LIKE $1`, [`${prefix}%`])).rows[0].n as number;
  const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

  it('names the row too long for X in the dry run, makes the 3 good rows on commit, and nothing when the same file comes again', async () => {
    const tag = `csv-${Date.now().toString(36)}`;
    const csv = [
      'text,channels,at,media_urls',
      `"${tag} one, with a comma",${x.id},${inHours(2)},`,
      `${tag} two,@${x.apiHandle.replace(/^@/, '')}|${mastodon.id},${inHours(3)},`,
      `"${tag} three ""quoted""",${mastodon.apiHandle},,`,
      `${tag} four ${'x'.repeat(300)},${x.id},${inHours(4)},`,
    ].join('\r\n');

    const dry = await send(csv);
    expect(dry.status).toBe(200);
    expect(dry.body.rows.slice(0, 3).flatMap((row: { problems: string[] }) => row.problems)).toEqual([]);
    expect(dry.body.summary).toEqual({ rows: 4, ok: 3, failed: 1, duplicates: 0, created: 0, committed: false });
    expect(dry.body.rows.map((row: { row: number; ok: boolean }) => [row.row, row.ok])).toEqual([[1, true], [2, true], [3, true], [4, false]]);
    const [, two, three, four] = dry.body.rows;
    expect(four.problems.join(' ')).toMatch(new RegExp(`channel ${x.id} \\(x .*280`));
    expect(two.deliveries.map((delivery: { channelId: string }) => delivery.channelId).sort()).toEqual([x.id, mastodon.id].sort());
    expect(three.deliveries).toEqual([{ channelId: mastodon.id, network: 'mastodon', at: null }]);
    // A dry run writes nothing.
    expect(await postsLike(tag)).toBe(0);

    const commit = await send(csv, '?commit=true');
    expect(commit.status).toBe(200);
    expect(commit.body.summary).toEqual({ rows: 4, ok: 3, failed: 1, duplicates: 0, created: 3, committed: true });
    expect(commit.body.rows.map((row: { status: string }) => row.status)).toEqual(['created', 'created', 'created', 'refused']);
    expect(await postsLike(tag)).toBe(3);
    const made = await http('GET', `${stack.apiUrl}/v1/posts/${commit.body.rows[0].postId}`, { token: apiKey });
    expect(made.body.text).toBe(`${tag} one, with a comma`);
    const draft = await http('GET', `${stack.apiUrl}/v1/posts/${commit.body.rows[2].postId}`, { token: apiKey });
    expect(draft.body).toEqual(expect.objectContaining({ text: `${tag} three "quoted"`, status: 'draft' }));

    // The same file again: the 3 rows are known, the bad one still refused.
    const again = await send(csv, '?commit=true');
    expect(again.body.summary).toEqual({ rows: 4, ok: 0, failed: 1, duplicates: 3, created: 0, committed: true });
    expect(await postsLike(tag)).toBe(3);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM post_import_rows r JOIN posts p ON p.id = r.post_id WHERE p.text LIKE $1`, [`${tag}%`])).rows[0].n).toBe(3);
  });

  it('takes tags and a first comment from their columns, and names a comment too long for X', async () => {
    const tag = `csvtags-${Date.now().toString(36)}`;
    const csv = [
      'text,channels,tags,first_comment',
      `${tag} tagged,${mastodon.id},Launch|Q4,More at https://example.com`,
      `${tag} long comment,${x.id},,${'c'.repeat(300)}`,
    ].join('\n');
    const commit = await send(csv, '?commit=true');
    expect(commit.status).toBe(200);
    expect(commit.body.rows.map((row: { status: string }) => row.status)).toEqual(['created', 'refused']);
    expect(commit.body.rows[1].problems.join(' ')).toMatch(new RegExp(`channel ${x.id} \\(x .*first comment.*280`));
    const made = await http('GET', `${stack.apiUrl}/v1/posts/${commit.body.rows[0].postId}`, { token: apiKey });
    expect(made.body).toMatchObject({ tags: ['launch', 'q4'], firstComment: { text: 'More at https://example.com' } });
  });

  it('answers rows it cannot read with the cell that is wrong', async () => {
    const tag = `csvbad-${Date.now().toString(36)}`;
    const csv = [
      'text,channels,local_time,timezone,queue',
      `${tag} a,nobody_here,,,`,
      `${tag} b,${x.id},2030-01-01T09:00,,`,
      `${tag} c,${x.id},2030-01-01T09:00,Mars/Olympus,`,
      `${tag} d,${x.id},,,maybe`,
      `${tag} e,${x.id},2030-01-01T09:00,Europe/Berlin,`,
    ].join('\n');
    const dry = await send(csv, '?commit=true');
    expect(dry.status).toBe(200);
    const problems = dry.body.rows.map((row: { problems: string[] }) => row.problems.join(' '));
    expect(problems[0]).toMatch(/no channel of this workspace has the handle "nobody_here"/);
    expect(problems[1]).toMatch(/timezone: local_time needs a timezone/);
    expect(problems[2]).toMatch(/Mars\/Olympus/);
    expect(problems[3]).toMatch(/queue: must be true or false/);
    expect(dry.body.rows[4]).toEqual(expect.objectContaining({ ok: true, status: 'created', deliveries: [{ channelId: x.id, network: 'x', at: '2030-01-01T08:00:00.000Z' }] }));
    expect(await postsLike(tag)).toBe(1);
  });

  it('refuses a file that is not an import as a problem, writing nothing', async () => {
    const tag = `csvfile-${Date.now().toString(36)}`;
    const noChannels = await send(`text\n${tag}\n`, '?commit=true');
    expect(noChannels.status).toBe(400);
    expect(noChannels.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(noChannels.body.detail).toMatch(/"channels" column/);

    const unknown = await send(`text,channels,colour\n${tag},${x.id},red\n`, '?commit=true');
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toMatch(/Unknown column.*colour/);

    // A quote left open in the last row: nothing of the rows before it is made.
    const broken = await send(`text,channels\n${tag} ok,${x.id}\n"${tag} open,${x.id}\n`, '?commit=true');
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/not valid CSV/);

    const tooMany = await send(['text,channels', ...Array.from({ length: 10_001 }, (_, index) => `${tag} ${index},${x.id}`)].join('\n'), '?commit=true');
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toMatch(/10000 rows/);

    const json = await send(JSON.stringify({ text: tag }), '', 'application/json');
    expect(json.status).toBe(415);
    const plain = await send(`text,channels\n${tag},${x.id}\n`, '', 'text/plain');
    expect(plain.status).toBe(415);

    expect(await postsLike(tag)).toBe(0);
  });

  it('is refused to a viewer', async () => {
    const made = await http('POST', `${stack.apiUrl}/v1/api-keys`, { token: apiKey, body: { name: 'csv viewer', role: 'viewer' } });
    const viewer = made.body.key as string;
    const answer = await http('POST', `${stack.apiUrl}/v1/posts/import`, { token: viewer, rawBody: `text,channels\nhi,${x.id}\n`, headers: { 'content-type': 'text/csv' } });
    expect(answer.status).toBe(403);
  });
});
