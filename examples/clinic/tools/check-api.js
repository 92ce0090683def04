#!/usr/bin/env node
// The backend layer's check: every .js file compiles; every entity module loads and exports
// meta { name, table, refs, sub }, validate, list and create; validate({}) returns messages.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const root = path.resolve(process.argv[2] ?? 'apps/api');
const rel = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
const errors = [];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));

for (const file of walk(root)) {
  try {
    vm.compileFunction(fs.readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  } catch (error) {
    const line = /:(\d+)/.exec(String(error.stack).split('\n')[0])?.[1] ?? 1;
    errors.push(`${rel(file)}:${line}: ${error.message}`);
  }
}
const entities = path.join(root, 'src', 'entities');
if (errors.length === 0 && fs.existsSync(entities)) {
  for (const name of fs.readdirSync(entities).filter((f) => f.endsWith('.js'))) {
    const file = path.join(entities, name);
    let mod;
    try {
      mod = require(file);
    } catch (error) {
      errors.push(`${rel(file)}:1: does not load: ${error.message}`);
      continue;
    }
    for (const key of ['meta', 'validate', 'list', 'create']) if (!(key in mod)) errors.push(`${rel(file)}:1: does not export ${key}`);
    const meta = mod.meta ?? {};
    if (typeof meta.name !== 'string' || typeof meta.table !== 'string' || !Array.isArray(meta.refs) || !Array.isArray(meta.sub)) {
      errors.push(`${rel(file)}:1: meta needs name, table, refs and sub`);
    }
    if (typeof mod.validate === 'function' && !Array.isArray(mod.validate({}))) errors.push(`${rel(file)}:1: validate({}) must return an array of messages`);
  }
}
if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log('api OK');
