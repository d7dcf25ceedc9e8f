/**
 * One source of truth for the API: the OpenAPI document the built
 * controllers produce is the committed apps/api/openapi.json, and
 * libs/api-client/src/schema.ts is what openapi-typescript makes of it.
 * `npm run build` regenerates both; this fails when they were changed
 * (by the build, or by hand) and not committed, or are stale.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

  it('apps/api/openapi.json is what the built controllers produce, without Postgres or Redis', () => {
    const produced = join(scratch, 'openapi.json');
    run(join(ROOT, 'dist/apps/api/src/write-openapi.js'), [produced]);
    expect(readFileSync(join(ROOT, DOCUMENT), 'utf8')).toBe(readFileSync(produced, 'utf8'));
  });

  it('libs/api-client/src/schema.ts is what openapi-typescript makes of apps/api/openapi.json', () => {
    const generated = run(join(BIN, 'openapi-typescript'), [DOCUMENT]);
    expect(readFileSync(join(ROOT, SCHEMA), 'utf8')).toBe(generated);
  });

  it.each([DOCUMENT, SCHEMA])('%s is committed as the build wrote it (git add it after a change of the API)', (path) => {
    const onDisk = readFileSync(join(ROOT, path), 'utf8');
    expect({ path, upToDateInGit: committed(path) === onDisk }).toEqual({ path, upToDateInGit: true });
  });
});
