#!/usr/bin/env node
/**
 * Every test (`npm test`, after the build and the lint): three jest runs, one
 * after the other.
 *   1. The in-process tiers: unit, integration and medium (`*.medium-spec.ts`:
 *      the API, worker and mock networks inside the test, test/support/in-process.ts),
 *      FAST_WORKERS files at a time (default 3): each has its own database and
 *      queue prefix, and starts no process.
 *   2. The process-level e2e files (`*.e2e-spec.ts`: the built apps as child
 *      processes), TEST_WORKERS at a time (default 2), but for those that stop
 *      a service the other files share (the machine's Postgres).
 *   3. Those, alone.
 *
 * Arguments go to every run (`--ci`, `-t NAME`, ...). `--json --outputFile=F`
 * writes one report, the runs' summed, as CI reads it. Arguments that
 * name test files run just those, in one run (TEST_WORKERS, default 1 then).
 * Before jest, the reference Bluesky PDS (a package folder of its own, see
 * scripts/test-pds.js) is installed when the run has a file that starts it
 * and it is missing or stale.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureTestPds, needsTestPds } = require('./test-pds');

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
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--json') json = true;
    else if (argument.startsWith('--outputFile=')) outputFile = argument.slice('--outputFile='.length);
    else if (argument === '--outputFile') outputFile = argv[++index];
    else if (WITH_VALUE.has(argument)) passed.push(argument, argv[++index]);
    else if (argument.startsWith('-')) passed.push(argument);
    else paths.push(argument);
  }
  return { passed, paths, outputFile: json ? outputFile : undefined };
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

/** Installs the reference PDS if a file of this run starts it; a failed install is said, and the specs that need it fail saying so. */
function installTestPdsFor(paths) {
  if (paths.length > 0 && !paths.flatMap(filesNamedBy).some(needsTestPds)) return;
  try {
    ensureTestPds();
  } catch (error) {
    console.error(`[test] ${error.message}`);
  }
}

function main() {
  const { passed, paths, outputFile } = parse(process.argv.slice(2));
  const workers = process.env.TEST_WORKERS;
  installTestPdsFor(paths);
  if (paths.length > 0) {
    const report = outputFile ? ['--json', `--outputFile=${outputFile}`] : [];
    process.exit(jest([...passed, ...report, `--maxWorkers=${workers ?? 1}`, ...paths]));
  }

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
  const fast = process.env.FAST_WORKERS ?? '3';
  const escaped = ALONE.map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const started = Date.now();
  const runs = [
    { name: 'unit, integration and medium', args: ['--selectProjects', 'unit', 'integration', 'medium', `--maxWorkers=${fast}`] },
    { name: 'e2e', args: ['--selectProjects', 'e2e', `--maxWorkers=${workers ?? 2}`, '--testPathIgnorePatterns', ...escaped, '/node_modules/'] },
    { name: 'alone', args: ['--maxWorkers=1', '--passWithNoTests', '--runTestsByPath', ...ALONE] },
  ].map((run, index) => {
    const report = path.join(scratch, `${index}.json`);
    const runStarted = Date.now();
    const status = jest([...passed, '--json', `--outputFile=${report}`, ...run.args]);
    return { ...run, status, report, seconds: Math.round((Date.now() - runStarted) / 1000) };
  });

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
  const seconds = Math.round((Date.now() - started) / 1000);
  const times = runs.map((run) => `${run.name} ${run.seconds} s`).join(', ');
  console.log(`\nAll tests: ${merged.numPassedTests} passed, ${merged.numFailedTests} failed, in ${seconds} s (${times}; ${fast} in-process files at a time, ${workers ?? 2} e2e files, then ${ALONE.join(', ')} alone)`);
  process.exit(merged.success ? 0 : 1);
}

main();
