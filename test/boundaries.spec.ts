/**
 * The import boundaries of shared/STYLE.md are the lint's, and the lint
 * catches a crossing: ESLint's own API lints small fixtures placed (by path)
 * where a crossing would be, with the project's eslint.config.mjs, and each
 * crossing must be reported while the allowed import beside it is not.
 * (ESLint runs in a child process: it loads its config with a dynamic
 * import, which Jest's VM refuses.)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Each fixture: where it would sit, and what it imports. */
const FIXTURES = {
  apiIntoOtherModule: ['apps/api/src/posts/fixture.ts', `import { SlotQueue } from '../channels/slot-queue';\nexport const used = SlotQueue;\n`],
  apiThroughIndex: ['apps/api/src/posts/fixture.ts', `import { SlotQueue } from '../channels';\nexport const used = SlotQueue;\n`],
  libImportsApp: ['libs/db/src/fixture.ts', `import { PostPlacement } from '../../../apps/api/src/posts/placement/post-placement';\nexport const used = PostPlacement;\n`],
  mockImportsLib: ['apps/mock-social/src/fixture.ts', `import { NETWORKS } from '@herald/channels';\nexport const used = NETWORKS;\n`],
  mockImportsPackage: ['apps/mock-social/src/fixture.ts', `import { parseTweet } from 'twitter-text';\nexport const used = parseTweet;\n`],
  schedulingImportsLib: ['libs/scheduling/src/fixture.ts', `import { Statement } from '../../db/src';\nexport const used = Statement;\n`],
  schedulingImportsFramework: ['libs/scheduling/src/fixture.ts', `import { Injectable } from '@nestjs/common';\nexport const used = Injectable;\n`],
  schedulingImportsLuxon: ['libs/scheduling/src/fixture.ts', `import { DateTime } from 'luxon';\nexport const used = DateTime;\n`],
  configImportsChannels: ['libs/config/src/fixture.ts', `import { NETWORKS } from '@herald/channels/network';\nexport const used = NETWORKS;\n`],
  configImportsDbRelative: ['libs/config/src/fixture.ts', `import { Statement } from '../../db/src';\nexport const used = Statement;\n`],
  configImportsOwn: ['libs/config/src/fixture.ts', `import { EnvReader } from './env-reader';\nexport const used = EnvReader;\n`],
  channelsImportsConfig: ['libs/channels/src/fixture.ts', `import { sliceOf } from '@herald/config';\nexport const used = sliceOf;\n`],
  workerImportsApi: ['apps/worker/src/fixture.ts', `import { PostPlacement } from '../../api/src/posts/placement/post-placement';\nexport const used = PostPlacement;\n`],
  tenantByHand: ['apps/api/src/posts/fixture.ts', `import { tenantOf } from '@herald/db';\nexport const used = tenantOf('x');\n`],
  tenantInAccess: ['apps/api/src/access/fixture.ts', `import { tenantOf } from '@herald/db';\nexport const used = tenantOf('x');\n`],
  webImportsRules: ['apps/web/src/fixture.ts', `import { countText } from '@herald/channels/rules';\nexport const used = countText;\n`],
  webImportsChannels: ['apps/web/src/fixture.ts', `import { NETWORKS } from '@herald/channels';\nexport const used = NETWORKS;\n`],
  webImportsApi: ['apps/web/src/fixture.ts', `import { PostPlacement } from '../../api/src/posts/placement/post-placement';\nexport const used = PostPlacement;\n`],
  webImportsNode: ['apps/web/src/fixture.ts', `import { readFileSync } from 'node:fs';\nexport const used = readFileSync;\n`],
  rulesImportNode: ['libs/channels/src/rules/fixture.ts', `import { Buffer } from 'buffer';\nexport const used = Buffer;\n`],
  rulesUseBuffer: ['libs/channels/src/rules/fixture.ts', `export const used = Buffer.byteLength('x');\n`],
  rulesImportOutside: ['libs/channels/src/rules/fixture.ts', `import { UrlPolicy } from '../url-policy';\nexport const used = UrlPolicy;\n`],
  rulesImportInside: ['libs/channels/src/rules/fixture.ts', `import { NETWORK_RULES } from './network-rules';\nexport const used = NETWORK_RULES;\n`],
} as const;
type Fixture = keyof typeof FIXTURES;

let messages: Record<Fixture, string[]>;

/** What the lint reported of a fixture, as "rule: message" (unused variables aside). */
function reported(fixture: Fixture): string[] {
  return messages[fixture];
}

describe('the lint keeps the boundaries', () => {
  jest.setTimeout(120_000);

  beforeAll(() => {
    const names = Object.keys(FIXTURES) as Fixture[];
    const input = names.map((name) => ({ filePath: join(ROOT, FIXTURES[name][0]), code: FIXTURES[name][1] }));
    const output = execFileSync(process.execPath, [join(ROOT, 'test/support/lint-fixtures.mjs')], { cwd: ROOT, input: JSON.stringify(input) }).toString('utf8');
    const results = JSON.parse(output) as { ruleId: string | null; message: string }[][];
    messages = Object.fromEntries(
      names.map((name, index) => [
        name,
        results[index]!.filter((message) => message.ruleId !== '@typescript-eslint/no-unused-vars').map((message) => `${message.ruleId}: ${message.message}`),
      ]),
    ) as Record<Fixture, string[]>;
  });

  it("an API module reaching into another module's file is reported; through its index.ts it is not", () => {
    expect(reported('apiIntoOtherModule')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*apps\/api\/src\/channels\/index\.ts/)]);
    expect(reported('apiThroughIndex')).toEqual([]);
  });

  it('a lib importing an app is reported', () => {
    expect(reported('libImportsApp')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*libs never import apps/)]);
  });

  it('the mock networks importing a lib of ours is reported; an npm package is not', () => {
    expect(reported('mockImportsLib')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^import-x\/no-restricted-paths: .*import nothing of Herald/), expect.stringMatching(/^no-restricted-imports: /)]),
    );
    expect(reported('mockImportsPackage')).toEqual([]);
  });

  it('libs/config importing another lib (by its alias or a relative path) is reported; its own files, and a lib importing it, are not', () => {
    expect(reported('configImportsChannels')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*libs\/config is below every other lib/)]);
    expect(reported('configImportsDbRelative')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*libs\/config is below every other lib/)]);
    expect(reported('configImportsOwn')).toEqual([]);
    expect(reported('channelsImportsConfig')).toEqual([]);
  });

  it('libs/scheduling importing another lib or a framework is reported; luxon is not', () => {
    expect(reported('schedulingImportsLib')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*imports no other lib/)]);
    expect(reported('schedulingImportsFramework')).toEqual([expect.stringMatching(/^no-restricted-imports: .*no framework beyond luxon/)]);
    expect(reported('schedulingImportsLuxon')).toEqual([]);
  });

  it('one app importing another is reported', () => {
    expect(reported('workerImportsApi')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*The worker does not import another app/)]);
  });

  it('a Tenant made by hand outside the access module is reported', () => {
    expect(reported('tenantByHand')).toEqual([expect.stringMatching(/^no-restricted-imports: .*access module/)]);
    expect(reported('tenantInAccess')).toEqual([]);
  });

  it('the web app importing a lib other than the content rules, another app or a Node module is reported; the rules are not', () => {
    expect(reported('webImportsRules')).toEqual([]);
    expect(reported('webImportsChannels')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^import-x\/no-restricted-paths: .*only browser-safe libs/), expect.stringMatching(/^no-restricted-imports: /)]),
    );
    expect(reported('webImportsApi')).toEqual(expect.arrayContaining([expect.stringMatching(/^import-x\/no-restricted-paths: .*over HTTP only/)]));
    expect(reported('webImportsNode')).toEqual([expect.stringMatching(/^no-restricted-imports: .*runs in a browser/)]);
  });

  it('the content rules importing a Node module, using a Node global or reaching outside rules/ is reported', () => {
    expect(reported('rulesImportNode')).toEqual([expect.stringMatching(/^no-restricted-imports: .*browser-safe/)]);
    expect(reported('rulesUseBuffer')).toEqual([expect.stringMatching(/^no-restricted-globals: .*Node-only global/)]);
    expect(reported('rulesImportOutside')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^import-x\/no-restricted-paths: .*nothing outside rules/), expect.stringMatching(/^no-restricted-imports: .*nothing outside rules/)]),
    );
    expect(reported('rulesImportInside')).toEqual([]);
  });
});
