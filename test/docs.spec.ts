/**
 * The docs hold together: every relative link between README.md and docs/*.md
 * reaches a file and, when it names one, a heading (GitHub's anchor slugs);
 * and docs/configuration.md lists every environment variable the code reads,
 * and none it no longer reads.
 *
 * Where the code reads the environment is found two ways, so that a new way
 * of reading it is not missed: statically, in every source file of apps/,
 * libs/ and scripts/ (tests excluded) that touches the environment
 * (`process.env.X`, `env.X`, `env['X']`, a reader's `read.integer('X', ...)`,
 * and any string literal shaped like a variable name, such as the names of a
 * schema object or a list of names); and at run time, by handing the config
 * loaders an environment that records every name they ask for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { loadConfig } from '@herald/config';
import { NETWORKS_SLICE } from '@herald/channels';
import { MEDIA_SLICE } from '@herald/media';
import { readConfig as readMockConfig } from '../apps/mock-social/src/config';

const ROOT = join(__dirname, '..');

// ---------------------------------------------------------------- links

/** README.md and every page of docs/ (docs/pending/ holds notes waiting to be folded in). */
export function docFiles(root = ROOT): string[] {
  const pages = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...pages.sort()];
}

/** The lines outside fenced code blocks, with their inline code removed (a link there is not a link). */
function proseLines(markdown: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((line, index) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opening) {
      const marker = opening[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ line: line.replace(/(`+)[^`]*?\1/g, ''), number: index + 1 });
  });
  return out;
}

/** GitHub's slug of a heading: its text lowercased, punctuation dropped, spaces to hyphens; repeats get -1, -2, ... */
export function slugify(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[*`]/g, '') // emphasis and code marks
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page has: its headings' slugs (outside code blocks) and explicit `<a id>`/`<a name>`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opening) {
      const marker = opening[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const slug = slugify(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  }
  return anchors;
}

export interface DeadLink {
  file: string;
  line: number;
  target: string;
  why: string;
}

/** Relative links (files and #anchors) that lead nowhere, in README.md and docs/*.md. */
export function deadLinks(root = ROOT): DeadLink[] {
  const dead: DeadLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (file: string) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(join(root, file), 'utf8')));
    return anchorCache.get(file)!;
  };
  for (const file of docFiles(root)) {
    for (const { line, number } of proseLines(readFileSync(join(root, file), 'utf8'))) {
      for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const targetFile = path === '' ? file : normalize(join(dirname(file), decodeURI(path)));
        if (relative(root, join(root, targetFile)).startsWith('..') || !existsSync(join(root, targetFile))) {
          dead.push({ file, line: number, target, why: `${targetFile} does not exist` });
          continue;
        }
        if (anchor === undefined || anchor === '') continue;
        if (!targetFile.endsWith('.md')) {
          dead.push({ file, line: number, target, why: `${targetFile} is not a Markdown page: it has no #${anchor}` });
          continue;
        }
        if (!anchorsIn(targetFile).has(decodeURIComponent(anchor))) {
          dead.push({ file, line: number, target, why: `${targetFile} has no heading whose anchor is #${anchor}` });
        }
      }
    }
  }
  return dead;
}

// ---------------------------------------------------------------- configuration

const SOURCE_DIRS = ['apps', 'libs', 'scripts'];
const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
/** Tests and their helpers are not the product: test/ is not scanned, nor spec files beside the code. */
const TEST_FILE = /(?:\.|-)spec\.[cm]?[jt]sx?$/;

function sourceFiles(dir: string, root = ROOT, includeTests = false): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path, root, includeTests));
    else if (SOURCE_FILE.test(entry.name) && (includeTests || !TEST_FILE.test(entry.name)) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A name shaped like an environment variable: capitals and digits, with at least one underscore (PORT alone is found by the readers' patterns). */
const VARIABLE_SHAPED = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** A file that touches the environment: process.env, an `env` object passed around, or a reader's `read.x('NAME')`. */
const READS_ENVIRONMENT = /process\.env|import\.meta\.env|\benv\s*(?:\.|\[|,)|\bread(?:er)?\.[a-zA-Z]+\(\s*['"`][A-Z]/;

/** Literals shaped like a variable that are something else (say why). */
const NOT_VARIABLES = new Set([
  'PG_VERSION', // scripts/start.js: the file an initialised Postgres data folder holds
]);

/** Names the code reads from the environment, with where each is first read (file:line). */
export function variablesReadStatically(root = ROOT, dirs = SOURCE_DIRS, includeTests = false): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of dirs.flatMap((dir) => sourceFiles(dir, root, includeTests))) {
    const text = readFileSync(join(root, file), 'utf8');
    if (!READS_ENVIRONMENT.test(text)) continue;
    const add = (name: string, index: number) => {
      if (!found.has(name)) found.set(name, `${file}:${text.slice(0, index).split('\n').length}`);
    };
    const patterns = [
      /(?:process|import\.meta)\.env\.([A-Z_][A-Z0-9_]*)/g, // process.env.NAME
      /\benv\.([A-Z_][A-Z0-9_]*)\b/g, // env.NAME
      /\benv\[\s*['"`]([A-Z_][A-Z0-9_]*)['"`]\s*\]/g, // env['NAME'], process.env['NAME']
      /\b(?:read|reader)\.[a-zA-Z]+\(\s*['"`]([A-Z_][A-Z0-9_]*)['"`]/g, // read.integer('NAME', ...)
      /\(\s*(?:env|read|reader)\s*,\s*['"`]([A-Z_][A-Z0-9_]*)['"`]/g, // integer(env, 'NAME', ...)
    ];
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) add(match[1]!, match.index!);
    // Any whole string literal shaped like a variable name: a schema's keys, a list of names, localSecret('NAME', ...).
    for (const match of text.matchAll(/(['"`])([A-Z][A-Z0-9_]*)\1/g)) {
      if (VARIABLE_SHAPED.test(match[2]!) && !NOT_VARIABLES.has(match[2]!)) add(match[2]!, match.index!);
    }
  }
  return found;
}

/** Names the config loaders ask for when run, over environments that take each branch (S3, Sentinel, a cluster, key rotation). */
export function variablesReadAtRunTime(): Set<string> {
  const asked = new Set<string>();
  const recording = (values: Record<string, string>) =>
    new Proxy(values, {
      get: (target, key) => {
        if (typeof key === 'string') asked.add(key);
        return target[key as string];
      },
      has: (target, key) => {
        if (typeof key === 'string') asked.add(key);
        return key in target;
      },
    });
  const key = Buffer.alloc(32, 7).toString('base64');
  const environments: Record<string, string>[] = [
    {},
    { MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' },
    { REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'primary', REDIS_SENTINEL_PASSWORD: 'p', REDIS_TLS: '1' },
    { REDIS_CLUSTER_NODES: '127.0.0.1:7000', HERALD_QUEUE_PREFIX: '{herald}', PUBLISH_QUEUE_SHARDS: '3', PUBLISH_QUEUE_SHARDS_CONSUMED: '0,2' },
    { HERALD_ENCRYPTION_KEY: key, HERALD_ENCRYPTION_OLD_KEYS: key, NODE_ENV: 'production', HERALD_ADMIN_TOKEN: 'x'.repeat(16), SMTP_URL: 'smtp://mail:25' },
    { X_CLIENT_ID: 'a', X_CLIENT_SECRET: 'b', X_API_URL: 'https://x.example', MOCK_SOCIAL_URL: 'http://127.0.0.1:4010' },
  ];
  for (const env of environments) {
    try {
      loadConfig(recording(env), [NETWORKS_SLICE, MEDIA_SLICE]);
    } catch {
      // A refused combination still asked for what it read.
    }
    try {
      readMockConfig(recording(env) as NodeJS.ProcessEnv);
    } catch {
      // As above.
    }
  }
  return asked;
}

/** The variables docs/configuration.md lists: every `NAME` in the first cell of a table row. */
export function variablesDocumented(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const line of markdown.split('\n')) {
    const cells = /^\|([^|]*)\|/.exec(line);
    if (!cells) continue;
    for (const match of cells[1]!.matchAll(/`([A-Z_][A-Z0-9_]*)`/g)) names.add(match[1]!);
  }
  return names;
}

const HOW_TO_ADD = [
  'Add a row for each to the table of its area in docs/configuration.md (one row per variable, or several names in the first cell):',
  '  | `NAME` | its default | what it does |',
  'A variable that only the launcher (npm start), the bench or the test runner reads goes in its table',
  '("The launcher, the bench and the test runner") at the end of that page.',
  'A name this check takes for a variable that is not one (a file name, say): add it to NOT_VARIABLES in test/docs.spec.ts.',
].join('\n');

// ---------------------------------------------------------------- the specs

describe('GitHub anchors as the link check reads them', () => {
  it('slugs headings as GitHub does, numbers repeats, and skips code blocks', () => {
    expect(slugify("The worker's metrics")).toBe('the-workers-metrics');
    expect(slugify('The slot queue (posting schedules)')).toBe('the-slot-queue-posting-schedules');
    expect(slugify('`PATCH /v1/posts/:id` and [links](x.md)')).toBe('patch-v1postsid-and-links');
    expect(slugify('Publishing: claims, retries & lookups')).toBe('publishing-claims-retries--lookups');
    const anchors = anchorsOf(['## Media', 'text', '```bash', '# not a heading', '```', '### Media', '<a id="kept"></a>'].join('\n'));
    expect([...anchors].sort()).toEqual(['kept', 'media', 'media-1']);
  });
});

describe('the docs', () => {
  it('has no dead relative link (file or #anchor) between README.md and docs/*.md', () => {
    const dead = deadLinks();
    if (dead.length > 0) {
      throw new Error(
        `${dead.length} dead link(s):\n${dead.map((link) => `  ${link.file}:${link.line}  (${link.target})  ${link.why}`).join('\n')}\n` +
          'Anchors follow GitHub: the heading lowercased, punctuation dropped, spaces as hyphens (## Signed links -> #signed-links).',
      );
    }
  });

  it('lists in docs/configuration.md every environment variable the code reads', () => {
    const documented = variablesDocumented(readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8'));
    const read = variablesReadStatically();
    for (const name of variablesReadAtRunTime()) if (!read.has(name)) read.set(name, 'libs/config, a config slice or apps/mock-social/src/config.ts (asked for at run time)');
    const missing = [...read].filter(([name]) => !documented.has(name)).sort(([a], [b]) => a.localeCompare(b));
    if (missing.length > 0) {
      throw new Error(
        `docs/configuration.md does not list ${missing.length} environment variable(s) the code reads:\n` +
          `${missing.map(([name, where]) => `  ${name}  (read in ${where})`).join('\n')}\n${HOW_TO_ADD}`,
      );
    }
  });

  it('lists in docs/configuration.md no variable the code no longer reads', () => {
    const documented = variablesDocumented(readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8'));
    // The tests' own variables (TEST_POSTGRES_URL, ...) are listed for people running them: read anywhere counts here.
    const read = new Set([...variablesReadStatically(ROOT, [...SOURCE_DIRS, 'test'], true).keys(), ...variablesReadAtRunTime()]);
    const stale = [...documented].filter((name) => !read.has(name)).sort();
    if (stale.length > 0) {
      throw new Error(`docs/configuration.md lists ${stale.length} variable(s) nothing in apps/, libs/, scripts/ or test/ reads: ${stale.join(', ')}.\nRemove their rows (or, if the code reads them in a way this check cannot see, say how in test/docs.spec.ts).`);
    }
  });
});
