#!/usr/bin/env node
/**
 * `node scripts/profile-callers.js FILE.cpuprofile FUNCTION [DEPTH]`: who
 * calls FUNCTION (by self time), to tell whose socket writes a `writev` is.
 */
'use strict';
const fs = require('node:fs');

const [file, target, depthArg] = process.argv.slice(2);
if (!file || !target) {
  console.error('usage: node scripts/profile-callers.js FILE.cpuprofile FUNCTION [DEPTH]');
  process.exit(2);
}
const depth = Number(depthArg || 10);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
const self = new Map();
profile.samples.forEach((id, index) => self.set(id, (self.get(id) || 0) + (profile.timeDeltas[index] || 0)));
const stacks = new Map();
for (const [id, us] of self) {
  if (byId.get(id).callFrame.functionName !== target) continue;
  const chain = [];
  for (let current = parent.get(id); current && chain.length < depth; current = parent.get(current)) {
    const frame = byId.get(current).callFrame;
    const where = (frame.url || '').replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '');
    chain.push(`${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`);
  }
  const key = chain.join('\n    < ');
  stacks.set(key, (stacks.get(key) || 0) + us);
}
for (const [stack, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`${(us / 1000).toFixed(0)} ms\n    < ${stack}\n`);
