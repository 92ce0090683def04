#!/usr/bin/env node
// The database layer's check: migrations are numbered 001, 002, … without gaps, every
// statement ends with `;`, parentheses balance, and REFERENCES name tables created earlier.
// Prints `file:line: message` per problem and exits 1; exits 0 when all is well.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(process.argv[2] ?? 'apps/db/migrations');
const rel = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
const errors = [];
const tables = new Set();
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
files.forEach((name, i) => {
  const file = path.join(dir, name);
  const expected = String(i + 1).padStart(3, '0');
  if (!name.startsWith(`${expected}_`)) errors.push(`${rel(file)}:1: expected the number ${expected}`);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  let depth = 0;
  lines.forEach((line, n) => {
    for (const c of line) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) errors.push(`${rel(file)}:${n + 1}: unbalanced )`);
    const ref = /REFERENCES\s+(\w+)/i.exec(line);
    if (ref && !tables.has(ref[1])) errors.push(`${rel(file)}:${n + 1}: REFERENCES ${ref[1]}, a table no earlier migration creates`);
    const created = /CREATE TABLE\s+(\w+)/i.exec(line);
    if (created) tables.add(created[1]);
  });
  if (depth !== 0) errors.push(`${rel(file)}:${lines.length}: unbalanced (`);
  if (!/;\s*$/.test(text)) errors.push(`${rel(file)}:${lines.length}: the last statement does not end with ;`);
});
if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log(`${files.length} migrations OK`);
