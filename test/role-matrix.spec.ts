/** README's role matrix is the one routes.ts and permissions.ts make (`npm run role-matrix` writes it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withMatrix } from './support/role-matrix';

describe('the role matrix in README', () => {
  it('is the one test/support/routes.ts and ROLE_ACTIONS make', () => {
    const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
    expect(readme).toBe(withMatrix(readme));
  });
});
