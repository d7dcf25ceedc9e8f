#!/usr/bin/env node
/**
 * Every test (`npm test`, after the build and the lint): two jest runs, one
 * after the other. First every file but those that stop a service the other
 * files share (the machine's Postgres), two files at a time: each e2e file
 * has a database, a queue prefix and ports of its own, and most of their time
 * is spent waiting on timers and child processes. Then those files, alone.
 *
 * Arguments go to both runs (`--ci`, `-t NAME`, ...). `--json --outputFile=F`
 * writes one report, the two runs' summed, as CI reads it. Arguments that
 * name test files run just those, in one run (TEST_WORKERS, default 1 then).
 * TEST_WORKERS sets how many files run at once in the first run (default 2).
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
  const reports = [path.join(scratch, 'shared.json'), path.join(scratch, 'alone.json')];
  const escaped = ALONE.map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const started = Date.now();
  const first = jest([...passed, '--json', `--outputFile=${reports[0]}`, `--maxWorkers=${workers ?? 2}`, '--testPathIgnorePatterns', ...escaped, '/node_modules/']);
  const second = jest([...passed, '--json', `--outputFile=${reports[1]}`, '--maxWorkers=1', '--passWithNoTests', '--runTestsByPath', ...ALONE]);

  const read = (file) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const [shared, alone] = reports.map(read);
  const sum = (key) => (shared?.[key] ?? 0) + (alone?.[key] ?? 0);
  const merged = {
    ...(shared ?? {}),
    numTotalTests: sum('numTotalTests'),
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'),
    numTotalTestSuites: sum('numTotalTestSuites'),
    numPassedTestSuites: sum('numPassedTestSuites'),
    numFailedTestSuites: sum('numFailedTestSuites'),
    // A run that wrote no report (it crashed) counts as a failed suite.
    numRuntimeErrorTestSuites: sum('numRuntimeErrorTestSuites') + (shared ? 0 : 1) + (alone ? 0 : 1),
    success: first === 0 && second === 0 && shared !== undefined && alone !== undefined,
    testResults: [...(shared?.testResults ?? []), ...(alone?.testResults ?? [])],
  };
  if (outputFile) fs.writeFileSync(path.resolve(process.cwd(), outputFile), JSON.stringify(merged));
  fs.rmSync(scratch, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nAll tests: ${merged.numPassedTests} passed, ${merged.numFailedTests} failed, in ${seconds} s (${workers ?? 2} files at a time, then ${ALONE.join(', ')} alone)`);
  process.exit(merged.success ? 0 : 1);
}

main();
