#!/usr/bin/env node
/**
 * Writes README's role matrix ("Roles") from test/support/routes.ts and
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

const path = join(__dirname, '../README.md');
const readme = readFileSync(path, 'utf8');
const written = withMatrix(readme);
if (process.argv.includes('--check')) {
  if (written !== readme) {
    console.error('README.md: the role matrix is out of date: run npm run role-matrix');
    process.exit(1);
  }
  console.log('README.md: the role matrix is up to date');
} else {
  writeFileSync(path, written);
  console.log(written === readme ? 'README.md: the role matrix was already up to date' : 'README.md: the role matrix was written');
}
