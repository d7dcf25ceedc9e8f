// The web app's build: one bundle under dist/web (beside the API's dist/apps), which the API serves at `/`.
// Only two of Herald's libs are reachable from it, by alias: the content rules and the typed API client.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './precompress.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: here('public'),
  resolve: {
    alias: [
      { find: /^@herald\/channels\/rules$/, replacement: here('../../libs/channels/src/rules/index.ts') },
      // The networks and their names without the text counting (see catalog.ts): what the first load imports.
      { find: /^@herald\/channels\/rules\/catalog$/, replacement: here('../../libs/channels/src/rules/catalog.ts') },
      { find: /^@herald\/api-client$/, replacement: here('../../libs/api-client/src/index.ts') },
      // twitter-text's ESM build has a default export only; the rules import its functions by name,
      // as its CommonJS build (the one Node runs) exports them.
      { find: /^twitter-text$/, replacement: here('../../node_modules/twitter-text/dist/index.js') },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  // Brotli and gzip copies of the hashed files, sent by the API to browsers that take them.
  plugins: [precompress()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    // Hashed file names under assets/: the API serves them as immutable.
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React libraries mark their modules "use client" for server components; a plain SPA has none.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && /use client/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite apps/web` in development: the API on 3000 answers what the app asks.
    proxy: Object.fromEntries(['/v1', '/public', '/health'].map((path) => [path, 'http://127.0.0.1:3000'])),
  },
});
