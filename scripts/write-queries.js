#!/usr/bin/env node
/** Writes every repository's statements to libs/db/queries/*.sql (from the build in dist/; `npm run queries` builds first). */
const { mkdirSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { REPOSITORY_SQL, renderQueries } = require('../dist/libs/db/src/repositories/sql-artifact');

const folder = join(__dirname, '../libs/db/queries');
mkdirSync(folder, { recursive: true });
for (const file of readdirSync(folder)) if (file.endsWith('.sql')) rmSync(join(folder, file));
for (const [file, statements] of Object.entries(REPOSITORY_SQL)) {
  writeFileSync(join(folder, `${file}.sql`), renderQueries(file, statements));
}
console.log(`wrote ${Object.keys(REPOSITORY_SQL).length} files to libs/db/queries/`);
