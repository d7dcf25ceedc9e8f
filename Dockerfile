# One image for every Herald process; the command picks which one runs.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
# The image brings its own Node 24 (and its headers, for native modules): the npm copy of Node is not needed.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
# The build needs TypeScript and Vite and no install script (the only native module that compiles,
# the test PDS's better-sqlite3, is not among these packages: it lives in test/support/pds).
# Optional dependencies stay: Vite's bundler (rolldown) and CSS minifier (lightningcss) are native
# binaries published as optional packages per platform.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
# apps/ includes apps/web: `npm run build` bundles the web app into dist/web, which the API serves at /.
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 4010
CMD ["node", "dist/apps/api/src/main.js"]
