#!/usr/bin/env node
/**
 * Writes the role matrix in docs/people.md ("Roles") from test/support/routes.ts and
 * apps/api/src/access/permissions.ts; `--check` only says whether it is up
 * to date (exit 1 when not). The TypeScript is transpiled as it is loaded.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, fileName: filename });
  module._compile(outputText, filename);
};
const { withMatrix } = require('../test/support/role-matrix.ts');

const path = join(__dirname, '../docs/people.md');
const page = readFileSync(path, 'utf8');
const written = withMatrix(page);
if (process.argv.includes('--check')) {
  if (written !== page) {
    console.error('docs/people.md: the role matrix is out of date: run npm run role-matrix');
    process.exit(1);
  }
  console.log('docs/people.md: the role matrix is up to date');
} else {
  writeFileSync(path, written);
  console.log(written === page ? 'docs/people.md: the role matrix was already up to date' : 'docs/people.md: the role matrix was written');
}
