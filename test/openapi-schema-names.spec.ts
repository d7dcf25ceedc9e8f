/**
 * Each schema of the OpenAPI document has one class behind it. Nest's
 * document builder names a schema by `@ApiSchema({ name })` or else by its
 * class, and when two classes give the same name the later one silently
 * replaces the other wherever either is referenced: the dry run's media
 * fits (`{index, resized}`) were once described as the library's
 * (`{accepted, resized, problems}`), so the document lied and the MCP
 * server's `validate_post` output schema refused its own answers. Read
 * from the sources, so it holds for classes the document does not reach yet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const SOURCES = join(ROOT, 'apps/api/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Each schema name a source gives: `@ApiSchema({ name })` on a class, else a class named `…Dto` or `…Schema`. */
function schemaNamesOf(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/((?:@\w+\([^\n]*\)\s*\n)*)export (?:abstract )?class (\w+)/g)) {
    const named = /@ApiSchema\(\{\s*name:\s*'([^']+)'/.exec(match[1] ?? '');
    if (named) names.push(named[1]!);
    else if (/(Dto|Schema)$/.test(match[2]!)) names.push(match[2]!);
  }
  return names;
}

describe('OpenAPI schema names', () => {
  it('reads the name a class gives, by @ApiSchema or by its own name', () => {
    const source = [
      "@ApiSchema({ name: 'MediaFit', description: 'x' })",
      'export class MediaFitSchema {}',
      'export class CreatePostDto {}',
      'export class PostWriter {}',
    ].join('\n');
    expect(schemaNamesOf(source)).toEqual(['MediaFit', 'CreatePostDto']);
  });

  it('gives no two classes of the API the same schema name', () => {
    const byName = new Map<string, string[]>();
    for (const file of sourceFiles(SOURCES)) {
      for (const name of schemaNamesOf(readFileSync(file, 'utf8'))) byName.set(name, [...(byName.get(name) ?? []), relative(ROOT, file)]);
    }
    expect(byName.size).toBeGreaterThan(100);
    expect([...byName].filter(([, files]) => files.length > 1)).toEqual([]);
  });
});
