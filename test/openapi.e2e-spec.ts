/**
 * One source of truth for the API: the OpenAPI document the built
 * controllers produce is the committed apps/api/openapi.json, and
 * libs/api-client/src/schema.ts is what openapi-typescript makes of it.
 * `npm run build` regenerates both; this fails when they were changed
 * (by the build, or by hand) and not committed, or are stale, and when the
 * document would not serve a generated client (redocly lint, and what every
 * operation must say). That it tells the truth about the answers is
 * test/api-contract.e2e-spec.ts's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationsOf, readDocument } from './support/openapi';

const ROOT = join(__dirname, '..');
const DOCUMENT = 'apps/api/openapi.json';
const SCHEMA = 'libs/api-client/src/schema.ts';
const BIN = join(ROOT, 'node_modules/.bin');

function run(file: string, args: string[]): string {
  return execFileSync(process.execPath, [file, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** The file as git's index holds it (what is committed, or staged to be). */
function committed(path: string): string {
  try {
    return execFileSync('git', ['show', `:${path}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`git cannot show ${path} (is this a git checkout, and is the file committed?): ${(error as Error).message}`);
  }
}

describe('the OpenAPI document and the generated client', () => {
  jest.setTimeout(120_000);
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'herald-openapi-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('apps/api/openapi.json is what the built controllers produce, and schema.ts what openapi-typescript makes of it, without Postgres or Redis', () => {
    const [document, types] = [join(scratch, 'openapi.json'), join(scratch, 'schema.ts')];
    run(join(ROOT, 'dist/apps/api/src/write-openapi.js'), [document, types]);
    expect(readFileSync(join(ROOT, DOCUMENT), 'utf8')).toBe(readFileSync(document, 'utf8'));
    expect(readFileSync(join(ROOT, SCHEMA), 'utf8')).toBe(readFileSync(types, 'utf8'));
  });

  it("passes redocly lint's recommended rules with no error and no warning", () => {
    let output: string;
    try {
      output = run(join(BIN, 'redocly'), ['lint', '--config', 'apps/api/redocly.yaml', '--format', 'json', DOCUMENT]);
    } catch (error) {
      // redocly exits 1 on errors; its report is still on stdout.
      output = String((error as { stdout?: unknown }).stdout ?? '');
    }
    const report = JSON.parse(output.slice(output.indexOf('{'))) as { totals: { errors: number; warnings: number; ignored: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 1 });
  });

  it('describes every operation for a generated client: a name, a summary, a tag, its security, a schema for each success and a problem for each error', () => {
    const document = readDocument();
    const tags = new Set((document.tags as { name: string }[]).map((tag) => tag.name));
    const operations = operationsOf(document);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
    const faults = operations.flatMap(({ method, path, operationId, operation }) => {
      const at = `${method.toUpperCase()} ${path}`;
      const found: string[] = [];
      if (!/^[a-z][A-Za-z]+$/.test(operationId ?? '')) found.push(`${at}: operationId ${operationId} is not a camelCase method name`);
      if (!operation.summary) found.push(`${at}: no summary`);
      if (!operation.tags?.length || !operation.tags.every((tag: string) => tags.has(tag))) found.push(`${at}: tags ${operation.tags} are not declared ones`);
      if (!Array.isArray(operation.security)) found.push(`${at}: no security`);
      const responses = Object.entries(operation.responses as Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>);
      if (!responses.some(([status]) => /^[23]/.test(status))) found.push(`${at}: no success answer`);
      for (const [status, response] of responses) {
        if (/^2/.test(status) && status !== '204' && !(status === '202' && !response.content)) {
          const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
          if (schemas.length === 0 || schemas.some((schema) => !schema || (schema.type === 'object' && !schema.properties && !schema.additionalProperties) || Object.keys(schema).length === 0)) {
            found.push(`${at}: ${status} declares no body schema`);
          }
        }
        if (/^[45]/.test(status) && response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') {
          found.push(`${at}: ${status} is not a Problem (application/problem+json)`);
        }
      }
      const statuses = responses.map(([status]) => status);
      if (!statuses.includes('5XX')) found.push(`${at}: no 5XX`);
      if (operation.security?.length > 0 && !statuses.includes('401')) found.push(`${at}: needs credentials, but declares no 401`);
      return found;
    });
    expect(faults).toEqual([]);
  });

  it.each([DOCUMENT, SCHEMA])('%s is committed as the build wrote it (git add it after a change of the API)', (path) => {
    const onDisk = readFileSync(join(ROOT, path), 'utf8');
    expect({ path, upToDateInGit: committed(path) === onDisk }).toEqual({ path, upToDateInGit: true });
  });
});
