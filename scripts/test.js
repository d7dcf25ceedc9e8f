#!/usr/bin/env node
/**
 * Every test (`npm test` is `node scripts/test.js --build`): the build and the
 * lint, then three jest runs, one after the other.
 *   0. With `--build`: `npm run build:server` (the API, worker and mock, the
 *      OpenAPI document and client), then the web app's build and the lint
 *      side by side (neither reads what the other writes).
 *   1. The in-process tiers: unit, integration and medium (`*.medium-spec.ts`:
 *      the API, worker and mock networks inside the test, test/support/in-process.ts),
 *      FAST_WORKERS files at a time (default 3): each has its own database and
 *      queue prefix, and starts no process.
 *   2. The process-level e2e files (`*.e2e-spec.ts`: the built apps as child
 *      processes), TEST_WORKERS at a time (default 2), but for those that stop
 *      a service the other files share (the machine's Postgres).
 *   3. Those, alone.
 * Jest starts the longest files first (test/support/sequencer.js).
 *
 * Arguments go to every run (`--ci`, `-t NAME`, ...). `--json --outputFile=F`
 * writes one report, the runs' summed, as CI reads it. Arguments that
 * name test files run just those, in one run (TEST_WORKERS, default 1 then).
 * The reference Bluesky PDS (a package folder of its own, see
 * scripts/test-pds.js) is installed when the run has a file that starts it
 * and it is missing or stale: for a whole run in the background from the
 * start (the build, the lint and the in-process tiers need it not), waited
 * for before the e2e files; for named files before jest.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureTestPds, isCached, isCurrent, needsTestPds } = require('./test-pds');

const ROOT = path.join(__dirname, '..');
const JEST = require.resolve('jest/bin/jest');

/** Files that stop or restart a service every other file uses: run alone, after the rest. */
const ALONE = ['test/resilience.e2e-spec.ts'];

/** Jest flags that take a value as the next argument (so the value is not taken for a test path). */
const WITH_VALUE = new Set(['-t', '--testNamePattern', '--selectProjects', '--outputFile', '--maxWorkers', '-w', '--testTimeout', '--reporters', '--shard', '--seed']);

function parse(argv) {
  const passed = [];
  const paths = [];
  let outputFile;
  let json = false;
  let build = false;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--json') json = true;
    else if (argument === '--build') build = true;
    else if (argument.startsWith('--outputFile=')) outputFile = argument.slice('--outputFile='.length);
    else if (argument === '--outputFile') outputFile = argv[++index];
    else if (WITH_VALUE.has(argument)) passed.push(argument, argv[++index]);
    else if (argument.startsWith('-')) passed.push(argument);
    else paths.push(argument);
  }
  return { passed, paths, build, outputFile: json ? outputFile : undefined };
}

function jest(args) {
  const result = spawnSync(process.execPath, [JEST, ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim() },
  });
  return result.status ?? 1;
}

/** The test files a path argument names: the file itself, or those under test/ whose path it matches (a jest pattern). */
function filesNamedBy(argument) {
  if (fs.existsSync(path.resolve(ROOT, argument)) && fs.statSync(path.resolve(ROOT, argument)).isFile()) return [argument];
  let pattern;
  try {
    pattern = new RegExp(argument);
  } catch {
    return [];
  }
  return fs
    .readdirSync(path.join(ROOT, 'test'))
    .map((name) => path.join('test', name))
    .filter((file) => file.endsWith('-spec.ts') && pattern.test(file));
}

/** Whether this run has a file that starts the reference PDS (a whole run has). */
function runNeedsTestPds(paths) {
  return paths.length === 0 || paths.flatMap(filesNamedBy).some(needsTestPds);
}

/** Installs the reference PDS now; a failed install is said, and the specs that need it fail saying so. */
function installTestPds() {
  try {
    ensureTestPds();
  } catch (error) {
    console.error(`[test] ${error.message}`);
  }
}

/**
 * Installs the reference PDS in a child process of its own, its output in a file (said when waited
 * for); `wait()` resolves once it is done, the install's seconds, or at once when it was current.
 */
function installTestPdsInBackground() {
  if (isCurrent()) return { wait: async () => 0 };
  if (isCached()) {
    // Linked from this machine's cache: a moment.
    installTestPds();
    return { wait: async () => 0 };
  }
  const log = path.join(os.tmpdir(), `herald-test-pds-${process.pid}.log`);
  const out = fs.openSync(log, 'w');
  const started = Date.now();
  console.log('[test] installing the reference Bluesky PDS in the background (scripts/test-pds.js)...');
  const child = spawn(process.execPath, [path.join(__dirname, 'test-pds.js')], { cwd: ROOT, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  // Its seconds, taken when it ends (not when it is waited for).
  const done = new Promise((resolve) => {
    const end = () => resolve(Math.round((Date.now() - started) / 1000));
    child.on('exit', end);
    child.on('error', end);
  });
  return {
    wait: async () => {
      const seconds = await done;
      process.stdout.write(fs.readFileSync(log, 'utf8'));
      fs.rmSync(log, { force: true });
      return seconds;
    },
  };
}

/** An npm script, its output as it comes; resolves with its exit status. */
function npmRun(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', script], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

/** The build, then the web app's build and the lint side by side; the status of the first that failed, else 0. */
async function buildAndLint() {
  const server = await npmRun('build:server');
  if (server !== 0) return server;
  const [web, lint] = await Promise.all([npmRun('build:web'), npmRun('lint')]);
  return web || lint;
}

async function main() {
  const { passed, paths, build, outputFile } = parse(process.argv.slice(2));
  const workers = process.env.TEST_WORKERS;
  const started = Date.now();
  const pds = paths.length === 0 ? installTestPdsInBackground() : undefined;
  if (build) {
    const status = await buildAndLint();
    if (status !== 0) {
      await pds?.wait();
      process.exit(status);
    }
  }
  const prepared = Math.round((Date.now() - started) / 1000);
  if (paths.length > 0) {
    if (runNeedsTestPds(paths)) installTestPds();
    const report = outputFile ? ['--json', `--outputFile=${outputFile}`] : [];
    process.exit(jest([...passed, ...report, `--maxWorkers=${workers ?? 1}`, ...paths]));
  }

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
  const fast = process.env.FAST_WORKERS ?? '3';
  const escaped = ALONE.map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const jestStarted = Date.now();
  const plan = [
    { name: 'unit, integration and medium', args: ['--selectProjects', 'unit', 'integration', 'medium', `--maxWorkers=${fast}`] },
    { name: 'e2e', args: ['--selectProjects', 'e2e', `--maxWorkers=${workers ?? 2}`, '--testPathIgnorePatterns', ...escaped, '/node_modules/'], needsPds: true },
    { name: 'alone', args: ['--maxWorkers=1', '--passWithNoTests', '--runTestsByPath', ...ALONE] },
  ];
  const runs = [];
  let pdsSeconds = 0;
  for (const [index, run] of plan.entries()) {
    if (run.needsPds) pdsSeconds = await pds.wait();
    const report = path.join(scratch, `${index}.json`);
    const runStarted = Date.now();
    const status = jest([...passed, '--json', `--outputFile=${report}`, ...run.args]);
    runs.push({ ...run, status, report, seconds: Math.round((Date.now() - runStarted) / 1000) });
  }

  const read = (file) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const reports = runs.map((run) => read(run.report));
  const sum = (key) => reports.reduce((total, report) => total + (report?.[key] ?? 0), 0);
  const merged = {
    ...(reports.find(Boolean) ?? {}),
    numTotalTests: sum('numTotalTests'),
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'),
    numTotalTestSuites: sum('numTotalTestSuites'),
    numPassedTestSuites: sum('numPassedTestSuites'),
    numFailedTestSuites: sum('numFailedTestSuites'),
    // A run that wrote no report (it crashed) counts as a failed suite.
    numRuntimeErrorTestSuites: sum('numRuntimeErrorTestSuites') + reports.filter((report) => report === undefined).length,
    success: runs.every((run) => run.status === 0) && reports.every((report) => report !== undefined),
    testResults: reports.flatMap((report) => report?.testResults ?? []),
  };
  if (outputFile) fs.writeFileSync(path.resolve(process.cwd(), outputFile), JSON.stringify(merged));
  fs.rmSync(scratch, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - jestStarted) / 1000);
  const times = runs.map((run) => `${run.name} ${run.seconds} s`).join(', ');
  const before = [build ? `build and lint ${prepared} s` : '', pdsSeconds ? `the PDS installed beside them in ${pdsSeconds} s` : ''].filter(Boolean).join(', ');
  console.log(`\nAll tests: ${merged.numPassedTests} passed, ${merged.numFailedTests} failed, in ${seconds} s (${times}; ${fast} in-process files at a time, ${workers ?? 2} e2e files, then ${ALONE.join(', ')} alone)${before ? `; before them ${before}` : ''}`);
  process.exit(merged.success ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
