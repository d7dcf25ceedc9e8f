// Four tiers: `unit` (pure logic, beside the code, and test/*.spec.ts), `integration`
// (`*.int-spec.ts`: repositories and services in-process against the real Postgres,
// each file on a database cloned from the run's template), `medium` (test/*.medium-spec.ts:
// the API, worker and mock networks built inside the test, test/support/in-process.ts,
// over HTTP against real Postgres and Redis), and `e2e` (test/*.e2e-spec.ts, the built
// processes as child processes: crashes, restarts, Redis and Postgres topologies, the browser).
const moduleNameMapper = {
  '^@herald/(config|db|scheduling|channels|queue|media|api-client)$': '<rootDir>/libs/$1/src',
  '^@herald/(config|db|scheduling|channels|queue|media|api-client)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
// Each file transpiled on its own (tsconfig.jest.json: isolatedModules), not type-checked: the build and
// `npm run typecheck` check the types; ts-jest's whole-program service made every worker parse the project.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] };
// The reference PDS's own packages (test/support/pds, installed by scripts/test-pds.js) run in a child process, never in jest.
const modulePathIgnorePatterns = ['<rootDir>/test/support/pds/node_modules'];

module.exports = {
  // One test file at a time when jest is run by itself: test/resilience.e2e-spec.ts restarts the
  // machine's Postgres, which would disturb any other file's stack running alongside. `npm test`
  // (scripts/test.js) runs the other files two at a time, then that one alone.
  maxWorkers: 1,
  // Longest files first, from measured durations when jest's cache has none (a fresh clone).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper,
      modulePathIgnorePatterns,
      transform,
      // Costly parameters (scrypt's, fast-check's runs) at test strength; one spec each keeps the real ones.
      setupFiles: ['<rootDir>/test/support/test-strength.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testMatch: ['**/*.int-spec.ts'],
      moduleNameMapper,
      modulePathIgnorePatterns,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'],
    },
    {
      displayName: 'medium',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.medium-spec.ts'],
      modulePathIgnorePatterns,
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/test-strength.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      moduleNameMapper,
      modulePathIgnorePatterns,
      transform,
      globalSetup: '<rootDir>/test/support/e2e-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'],
    },
  ],
};
