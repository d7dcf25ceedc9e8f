/** The committed SQL of every repository is the SQL the code runs: change a statement, run `npm run queries`, commit both. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_SQL, renderQueries } from './sql-artifact';

const FOLDER = join(__dirname, '../../queries');

describe('libs/db/queries', () => {
  it.each(Object.keys(REPOSITORY_SQL))('%s.sql is what the repository runs', (file) => {
    const committed = readFileSync(join(FOLDER, `${file}.sql`), 'utf8');
    expect(committed).toBe(renderQueries(file, REPOSITORY_SQL[file]!));
  });

  it('holds no file of a repository that no longer exists', () => {
    const files = readdirSync(FOLDER).filter((file) => file.endsWith('.sql')).map((file) => file.replace(/\.sql$/, ''));
    expect(files.sort()).toEqual(Object.keys(REPOSITORY_SQL).sort());
  });
});
