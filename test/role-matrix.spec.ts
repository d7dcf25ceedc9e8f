/** The role matrix in docs/people.md is the one routes.ts and permissions.ts make (`npm run role-matrix` writes it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withMatrix } from './support/role-matrix';

describe('the role matrix in docs/people.md', () => {
  it('is the one test/support/routes.ts and ROLE_ACTIONS make', () => {
    const page = readFileSync(join(__dirname, '../docs/people.md'), 'utf8');
    expect(page).toBe(withMatrix(page));
  });
});
