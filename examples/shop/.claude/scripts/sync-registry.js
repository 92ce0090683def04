#!/usr/bin/env node
// Rebuilds .claude/entity-registry.json from the backend:
//   e.{meta.name} = { refs, subs, pattern } for every server/entities/*.js,
//   _enums        = server/enums.js,
//   _patterns     = kept as written (pattern name -> reference module), but every pattern
//                   an entity uses must be listed there.
// Writes only when the content changes. Exits 1 with `file:line: message` on a problem.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTRY = path.join(ROOT, '.claude', 'entity-registry.json');
const ENTITIES = path.join(ROOT, 'server', 'entities');
const ENUMS = path.join(ROOT, 'server', 'enums.js');

const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
const errors = [];

let current = { _patterns: {}, _enums: {}, e: {} };
if (fs.existsSync(REGISTRY)) {
  try {
    current = JSON.parse(fs.readFileSync(REGISTRY, 'utf8'));
  } catch (err) {
    console.error(`${rel(REGISTRY)}:1: not valid JSON: ${err.message}`);
    process.exit(1);
  }
}

const patterns = current._patterns || {};
const e = {};
for (const name of fs.readdirSync(ENTITIES).filter((n) => n.endsWith('.js')).sort()) {
  const file = path.join(ENTITIES, name);
  let meta;
  try {
    meta = require(file).meta;
  } catch (err) {
    errors.push(`${rel(file)}:1: cannot load: ${err.message.split('\n')[0]}`);
    continue;
  }
  if (!meta || typeof meta.name !== 'string') {
    errors.push(`${rel(file)}:1: exports no meta.name`);
    continue;
  }
  if (meta.pattern && !(meta.pattern in patterns)) {
    errors.push(`${rel(file)}:1: pattern "${meta.pattern}" is not in _patterns of ${rel(REGISTRY)} (known: ${Object.keys(patterns).join(', ')})`);
  }
  e[meta.name] = { refs: [...(meta.refs || [])], subs: [...(meta.subs || [])], pattern: meta.pattern };
}

let enums = current._enums || {};
if (fs.existsSync(ENUMS)) {
  try {
    enums = { ...require(ENUMS) };
  } catch (err) {
    errors.push(`${rel(ENUMS)}:1: cannot load: ${err.message.split('\n')[0]}`);
  }
}

if (errors.length) {
  for (const msg of errors) console.error(msg);
  process.exit(1);
}

const next = JSON.stringify({ _patterns: patterns, _enums: enums, e }, null, 2) + '\n';
const before = fs.existsSync(REGISTRY) ? fs.readFileSync(REGISTRY, 'utf8') : '';
if (next === before) {
  console.log(`sync-registry: ${Object.keys(e).length} entities, unchanged`);
} else {
  fs.writeFileSync(REGISTRY, next);
  console.log(`sync-registry: ${Object.keys(e).length} entities written to ${rel(REGISTRY)}`);
}
