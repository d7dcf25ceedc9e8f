/** The e2e tests run the built apps: say so plainly when they are not built, then make the template. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTemplate } from './global-setup';

export default async function e2eSetup(): Promise<void> {
  if (!existsSync(join(__dirname, '../../dist/apps/api/src/main.js'))) {
    throw new Error('dist/ is missing: the e2e tests run the built apps. Run `npm run build` first (`npm test` does).');
  }
  await createTemplate();
}
