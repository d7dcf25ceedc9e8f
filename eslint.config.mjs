// Lint that catches lost work (a dropped promise in a worker is a post that silently never goes out),
// and the import boundaries of shared/STYLE.md: apps above libs, one API module not reaching into
// another's files, libs/scheduling pure, apps/mock-social importing nothing of ours.
import { builtinModules } from 'node:module';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/** The API's modules: each is reached from another only through its index.ts. */
const API_MODULES = ['access', 'admin', 'audit', 'channels', 'feeds', 'health', 'media', 'members', 'networks', 'people', 'posts', 'webhooks', 'workspaces'];
const LIBS = ['api-client', 'channels', 'config', 'db', 'media', 'queue', 'scheduling'];
/** What runs in a browser imports nothing of Node's. */
const NODE_BUILTINS = ['node:*', ...builtinModules];
/** Globals a browser does not have. */
const NODE_GLOBALS = ['Buffer', 'process', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
  name,
  message: 'Browser-safe code uses no Node-only global.',
}));

const apiModuleZones = API_MODULES.flatMap((module) =>
  API_MODULES.filter((other) => other !== module).map((other) => ({
    target: `./apps/api/src/${module}`,
    from: `./apps/api/src/${other}`,
    except: ['./index.ts'],
    message: `An API module uses another only through what its index.ts exports (apps/api/src/${other}/index.ts).`,
  })),
);

/** Where URLs users give are handled: every request there goes through the URL policy's Outbound. */
export const USER_URL_CODE = [
  'apps/api/src/webhooks/**/*.ts',
  'apps/worker/src/webhooks/**/*.ts',
  'apps/api/src/channels/**/*.ts',
  'apps/api/src/media/**/*.ts',
  'apps/api/src/posts/**/*.ts',
  'apps/api/src/feeds/**/*.ts',
  'apps/worker/src/publish/**/*.ts',
  'libs/media/src/**/*.ts',
  'libs/channels/src/link-preview.ts',
  'libs/channels/src/networks/**/*.ts',
];
const PLAIN_HTTP_MESSAGE = 'A URL a user gave is called through Outbound (libs/channels/src/outbound.ts) or a NetworkClient, under the URL policy: no plain fetch or undici request.';
const PLAIN_HTTP = [
  { selector: "CallExpression[callee.type='Identifier'][callee.name='fetch']", message: PLAIN_HTTP_MESSAGE },
  { selector: "MemberExpression[object.name='globalThis'][property.name='fetch']", message: PLAIN_HTTP_MESSAGE },
  { selector: "ImportDeclaration[source.value=/^(undici|node-fetch|axios|got|node:https?|https?)$/]", message: PLAIN_HTTP_MESSAGE },
  { selector: "ImportExpression[source.value=/^(undici|node-fetch|axios|got|node:https?|https?)$/]", message: PLAIN_HTTP_MESSAGE },
];

export const BOUNDARY_ZONES = [
  { target: './libs', from: './apps', message: 'libs never import apps.' },
  { target: './apps/mock-social', from: ['./libs', './apps/api', './apps/worker'], message: 'The mock networks import nothing of Herald: a network does not share our code.' },
  { target: './apps/api', from: ['./apps/worker', './apps/mock-social'], message: 'The API does not import another app.' },
  { target: './apps/worker', from: ['./apps/api', './apps/mock-social'], message: 'The worker does not import another app.' },
  { target: './apps/web', from: ['./apps/api', './apps/worker', './apps/mock-social'], message: 'The web app talks to the API over HTTP only.' },
  {
    target: './apps/web',
    from: './libs',
    except: ['./channels/src/rules', './api-client'],
    message: 'The web app imports only browser-safe libs: the content rules (@herald/channels/rules) and the API client (@herald/api-client).',
  },
  {
    target: './libs/channels/src/rules',
    from: ['./libs/channels/src', './libs/config', './libs/db', './libs/media', './libs/queue', './libs/scheduling'],
    except: ['./rules', './networks'],
    message: 'The content rules are browser-safe (the web app bundles them): they import nothing outside rules/ but the network descriptors.',
  },
  {
    target: './libs/config',
    from: LIBS.filter((lib) => lib !== 'config').map((lib) => `./libs/${lib}`),
    message: "libs/config is below every other lib and imports none of them: a module's own settings are a ConfigSlice in that module (libs/config/src/config-slice.ts).",
  },
  {
    target: './libs/scheduling',
    from: LIBS.filter((lib) => lib !== 'scheduling').map((lib) => `./libs/${lib}`),
    message: 'libs/scheduling is pure time logic: it imports no other lib.',
  },
  {
    target: './apps/api/src/common',
    from: API_MODULES.filter((module) => module !== 'access').map((module) => `./apps/api/src/${module}`),
    message: 'common/ is shared by the API modules and imports none of them.',
  },
  ...apiModuleZones,
];

export default tseslint.config(
  // libs/api-client/src/schema.ts is generated (openapi-typescript): not ours to lint.
  { ignores: ['apps/web/vite.config.mjs', 'dist/**', 'node_modules/**', '.data/**', 'scripts/**', 'bench/**', 'eslint.config.mjs', 'jest.config.js', 'test/lint-fixtures/**', 'libs/api-client/src/schema.ts'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/**/*.{ts,tsx}', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${import.meta.dirname}/tsconfig.json` })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: BOUNDARY_ZONES }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['libs/scheduling/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@herald/*'], message: 'libs/scheduling imports no other lib.' },
            { group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'express', 'fastify', 'undici'], message: 'libs/scheduling uses no framework beyond luxon.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/channels/src/rules/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'The content rules are browser-safe: no Node module.' },
            { regex: '^(@herald/|\\.\\./(?!networks/descriptors$))', message: 'The content rules import nothing outside rules/ but the network descriptors (the web app bundles them).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
    },
  },
  {
    // The network descriptors are bundled with the content rules: browser-safe, and importing only the rules' types.
    files: ['libs/channels/src/networks/descriptors.ts', 'libs/channels/src/networks/*/*.descriptor.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'A network descriptor is browser-safe: no Node module.' },
            { regex: '^(@herald/|\\.\\./\\.\\./(?!rules/(descriptor|types)$))', message: 'A network descriptor imports only the rules\' types and other descriptors.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
    },
  },
  {
    // The generated API client runs in browsers (the web app): nothing of Node, nothing of the server.
    files: ['libs/api-client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'stream', 'http', 'https', 'buffer'], message: 'libs/api-client is browser code: no Node modules.' },
            { group: ['@herald/*', '@nestjs/*'], message: 'libs/api-client depends on the OpenAPI document only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'The web app runs in a browser: no Node module.' },
            { regex: '^@herald/(?!(channels/rules|channels/rules/catalog|api-client)$)', message: 'The web app imports only @herald/channels/rules (or its catalog) and @herald/api-client.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
    },
  },
  {
    files: ['apps/mock-social/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@herald/*'], message: 'The mock networks import nothing of Herald.' }] }] },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/access/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@herald/db', importNames: ['tenantOf'], message: 'A Tenant comes from the access module (AccessService.tenant), never made by hand.' }] },
      ],
    },
  },
  {
    // Code that takes URLs users give (webhooks, link cards, media imports, Mastodon instances, Bluesky
    // services) calls them through Outbound (libs/channels/src/outbound.ts) or a NetworkClient, never
    // with a plain fetch or undici request: PRODUCT.md section 15.
    files: USER_URL_CODE,
    // media-links.ts asks Herald's own signed links (HERALD_PUBLIC_URL), never a user's; link-shortener.ts
    // asks the operator's own shortener (LINK_SHORTENER_URL), never a user's.
    ignores: ['**/*.spec.ts', 'libs/channels/src/networks/meta/media-links.ts', 'apps/api/src/posts/link-shortener.ts'],
    rules: { 'no-restricted-syntax': ['error', ...PLAIN_HTTP] },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['apps/**/*.ts', 'test/**/*.ts', '**/*.spec.ts'],
    ignores: ['apps/web/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
