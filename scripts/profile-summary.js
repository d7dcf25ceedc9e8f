#!/usr/bin/env node
/**
 * `node scripts/profile-summary.js FILE.cpuprofile [N]`: the N functions with
 * the most self time, and the same grouped by package (or file for our code),
 * to read a `BENCH_PROFILE` profile without a browser.
 */
'use strict';
const fs = require('node:fs');

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/profile-summary.js FILE.cpuprofile [N]');
  process.exit(2);
}
const top = Number(topArg || 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
const deltas = profile.timeDeltas;
for (let index = 0; index < profile.samples.length; index += 1) {
  const id = profile.samples[index];
  selfUs.set(id, (selfUs.get(id) || 0) + (deltas[index] || 0));
}
const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0);

function place(frame) {
  const url = frame.url || '';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.includes('/dist/')) return url.slice(url.indexOf('/dist/') + 6);
  if (url.startsWith('node:')) return url;
  return url || `(${frame.functionName || 'native'})`;
}

const byFunction = new Map();
const byPlace = new Map();
for (const [id, us] of selfUs) {
  const frame = byId.get(id).callFrame;
  const name = `${frame.functionName || '(anonymous)'}  ${place(frame)}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) || 0) + us);
  byPlace.set(place(frame), (byPlace.get(place(frame)) || 0) + us);
}
const show = (title, map) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [name, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
show('self time by function', byFunction);
show('self time by package or file', byPlace);
