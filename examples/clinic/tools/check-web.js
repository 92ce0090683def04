#!/usr/bin/env node
// The frontend layer's check: every .mjs file under the given folders is a valid ES module
// (`node --check`, one process per file) that exports render.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const rel = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
const walk = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []).flatMap((e) =>
  e.name.startsWith('.') ? [] : e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.mjs') ? [path.join(dir, e.name)] : []);
const errors = [];
const files = process.argv.slice(2).flatMap((dir) => walk(path.resolve(dir)));
for (const file of files) {
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (result.status !== 0) errors.push(`${rel(file)}: ${(result.stderr.split('\n').find((l) => /Error/.test(l)) ?? 'syntax error').trim()}`);
  else if (!/export\s+(async\s+)?function\s+render\b|export\s+const\s+render\b/.test(fs.readFileSync(file, 'utf8'))) errors.push(`${rel(file)}:1: does not export render`);
}
if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log(`${files.length} screens OK`);
