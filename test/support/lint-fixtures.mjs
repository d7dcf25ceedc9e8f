// Lints fixtures with the project's eslint.config.mjs, outside Jest (ESLint loads its config with a
// dynamic import, which Jest's VM refuses). Reads [{filePath, code}] as JSON on stdin, writes each
// fixture's messages [{ruleId, message}] as JSON on stdout. The type-aware rules are off: the
// fixtures are not files of the TypeScript project.
import { ESLint } from 'eslint';

const fixtures = JSON.parse(await new Promise((resolve) => {
  let input = '';
  process.stdin.on('data', (chunk) => (input += chunk));
  process.stdin.on('end', () => resolve(input));
}));
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});
const results = [];
for (const { filePath, code } of fixtures) {
  const [result] = await eslint.lintText(code, { filePath });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
