#!/usr/bin/env node
// Usage: node scripts/check-server.js [server]   (the backend folder, as data; default server)
// The backend "build": no compiler here, so it checks what a compiler would.
//  1. every .js file under server/ compiles as a CommonJS module (syntax; what `node --check`
//     checks, done in this process with vm.compileFunction and the module wrapper's arguments);
//  2. every server/entities/*.js module loads and exports { meta, validate, list, get, create }
//     with a well-formed meta (name, table, path, pattern, refs, subs), like customer.js;
//  3. entity names and paths are unique, refs name existing entities, validate({}) returns
//     an array of messages, and server/index.js builds its server.
// Prints `file:line: message` for every problem and exits 1; exits 0 when all is well.
//
// This checker lives outside every layer's `owns`, so the agent it checks cannot rewrite it,
// and the backend's modules are loaded by scripts/lib/probe-server.js in a child process, so
// the agent's code cannot decide this process's exit status either.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.resolve(process.argv[2] || path.join(ROOT, 'server'));
const ENTITIES = path.join(SERVER, 'entities');
const EXPORTS = ['meta', 'validate', 'list', 'get', 'create'];

const errors = [];
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
const fail = (file, line, message) => errors.push(`${rel(file)}:${line}: ${message}`);

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(full));
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out.sort();
}

/** 1-based line of the first match of `re` in `file`, or `fallback`. */
function lineOf(file, re, fallback = 1) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  return i < 0 ? fallback : i + 1;
}

/** Line of the first stack frame inside `file`, if any. */
function lineFromStack(err, file) {
  const m = String(err && err.stack).split('\n').map((l) => l.includes(file) && /:(\d+):\d+\)?$/.exec(l)).find(Boolean);
  return m ? Number(m[1]) : undefined;
}

/** The arguments Node's CommonJS loader compiles every module body with. */
const MODULE_WRAPPER_ARGS = ['exports', 'require', 'module', '__filename', '__dirname'];

function checkSyntax(files) {
  for (const file of files) {
    try {
      // Compiles without running: a syntax error throws with `file:line` first in its stack.
      vm.compileFunction(fs.readFileSync(file, 'utf8'), MODULE_WRAPPER_ARGS, { filename: file });
    } catch (err) {
      const out = String(err && err.stack);
      const where = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(out);
      const message = out.split('\n').find((l) => /^\w*Error\b/.test(l)) || out.trim().split('\n')[0] || 'syntax check failed';
      fail(file, where ? where[1] : 1, message.trim());
    }
  }
}

/** Loads the modules in a child process (scripts/lib/probe-server.js); its report, or a problem. */
function probe() {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'lib', 'probe-server.js'), SERVER], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  try {
    return JSON.parse(r.output[3]);
  } catch {
    const output = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-5).join('\n');
    errors.push(`${rel(SERVER)}:1: loading the backend's modules failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}): ${output || 'no output'}`);
    return undefined;
  }
}

function checkEntities(report) {
  const entries = report.entities;
  if (!entries.length) fail(ENTITIES, 1, 'no entity modules found (expected server/entities/<entity>.js)');
  const loaded = [];
  for (const entry of entries) {
    const file = entry.file;
    if (!entry.ok) {
      const err = { message: entry.error, stack: entry.stack };
      const missing = /Cannot find module '([^']+)'/.exec(entry.error);
      const line = lineFromStack(err, file) || (missing ? lineOf(file, new RegExp(`['"]${missing[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`)) : 1);
      const from = entry.requireStack.length && entry.requireStack[0] !== file ? ` (required by ${rel(entry.requireStack[0])})` : '';
      fail(file, line, `cannot load module: ${String(entry.error).split('\n')[0]}${from}`);
      continue;
    }
    const exportsLine = lineOf(file, /module\.exports/);
    const missing = EXPORTS.filter((k) => !entry.exports.includes(k));
    if (missing.length) {
      fail(file, exportsLine, `missing export(s) ${missing.join(', ')}: entity modules export { ${EXPORTS.join(', ')} } like server/entities/customer.js`);
      continue;
    }
    for (const fn of EXPORTS.slice(1)) {
      if (entry.types[fn] !== 'function') fail(file, exportsLine, `export "${fn}" must be a function, got ${entry.types[fn]}`);
    }
    const meta = entry.meta;
    const metaLine = lineOf(file, /\bmeta\s*=/);
    if (!meta || typeof meta !== 'object') { fail(file, metaLine, 'export "meta" must be an object'); continue; }
    const bad = (key, why) => fail(file, lineOf(file, new RegExp(`^\\s*${key}\\s*:`), metaLine), `meta.${key} ${why}`);
    if (typeof meta.name !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(meta.name)) bad('name', 'must be a PascalCase entity name, e.g. "Customer"');
    if (typeof meta.table !== 'string' || !/^[a-z][a-z0-9_]*$/.test(meta.table)) bad('table', 'must be a snake_case table name, e.g. "customers"');
    if (typeof meta.path !== 'string' || !/^[a-z][a-z0-9-]*$/.test(meta.path)) bad('path', 'must be a lowercase URL segment, e.g. "customers" for /api/customers');
    if (typeof meta.pattern !== 'string' || !meta.pattern) bad('pattern', 'must name the entity pattern, e.g. "simple" or "withSubItems"');
    for (const key of ['refs', 'subs']) {
      if (!Array.isArray(meta[key]) || meta[key].some((v) => typeof v !== 'string')) bad(key, 'must be an array of entity names');
    }
    if (entry.validate) {
      if (entry.validate.ok) {
        const result = entry.validate.result;
        if (!Array.isArray(result) || result.some((m) => typeof m !== 'string')) {
          fail(file, lineOf(file, /function validate\b/), 'validate({}) must return an array of error messages (strings)');
        }
      } else {
        fail(file, lineFromStack(entry.validate, file) || lineOf(file, /function validate\b/), `validate({}) threw: ${entry.validate.error}`);
      }
    }
    loaded.push({ file, meta });
  }

  const byName = new Map();
  const byPath = new Map();
  for (const { file, meta } of loaded) {
    if (byName.has(meta.name)) fail(file, lineOf(file, /^\s*name\s*:/), `entity name "${meta.name}" also used by ${rel(byName.get(meta.name))}`);
    if (byPath.has(meta.path)) fail(file, lineOf(file, /^\s*path\s*:/), `path /api/${meta.path} also used by ${rel(byPath.get(meta.path))}`);
    byName.set(meta.name, file);
    byPath.set(meta.path, file);
  }
  for (const { file, meta } of loaded) {
    for (const ref of Array.isArray(meta.refs) ? meta.refs : []) {
      if (!byName.has(ref)) fail(file, lineOf(file, /^\s*refs\s*:/), `meta.refs names unknown entity "${ref}" (known: ${[...byName.keys()].join(', ')})`);
    }
  }
  return loaded;
}

function checkServer(report) {
  const file = path.join(SERVER, 'index.js');
  const server = report.server;
  if (server.ok) return;
  if (server.notAFunction) {
    fail(file, lineOf(file, /module\.exports/), 'must export createServer()');
    return;
  }
  const where = String(server.stack).split('\n')
    .map((l) => l.includes(SERVER) && /^(.*?\.js):(\d+):\d+/.exec(l.slice(l.indexOf(SERVER))))
    .find(Boolean);
  errors.push(where ? `${rel(where[1])}:${where[2]}: ${server.error}` : `${rel(file)}:1: ${server.error}`);
}

const files = jsFiles(SERVER);
checkSyntax(files);
let entities = [];
if (!errors.length) {
  const report = probe();
  if (report) {
    entities = checkEntities(report);
    if (!errors.length) checkServer(report);
  }
}
if (errors.length) {
  for (const e of errors) console.error(e);
  console.error(`build: ${errors.length} problem(s) found`);
  process.exit(1);
}
console.log(`build: ${files.length} file(s) OK; entities: ${entities.map((e) => `${e.meta.name} (/api/${e.meta.path})`).join(', ')}`);
