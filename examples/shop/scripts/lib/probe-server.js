#!/usr/bin/env node
// Loads the backend's modules for scripts/check-server.js, in a process of their own: the
// agent's code runs here, so whatever it does (process.exit(0), printing "OK"…) cannot
// decide the checker's verdict. Writes one JSON report to file descriptor 3:
//   { entities: [{ file, ok, error?, stack?, missing?, requireStack?, exports?, types?, meta?, validate? }],
//     server: { ok, error?, stack? } }
// Usage: node scripts/lib/probe-server.js <server-dir>
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SERVER = path.resolve(process.argv[2] || 'server');
const ENTITIES = path.join(SERVER, 'entities');
const EXPORTS = ['meta', 'validate', 'list', 'get', 'create'];
const report = { entities: [], server: { ok: true } };
const plain = (value) => JSON.parse(JSON.stringify(value === undefined ? null : value));
const failure = (err) => ({ error: String(err && err.message), stack: String(err && err.stack) });

const files = fs.existsSync(ENTITIES) ? fs.readdirSync(ENTITIES).filter((n) => n.endsWith('.js')).sort() : [];
for (const name of files) {
  const file = path.join(ENTITIES, name);
  const entry = { file, ok: true };
  report.entities.push(entry);
  let mod;
  try {
    mod = require(file);
  } catch (err) {
    Object.assign(entry, { ok: false, ...failure(err), requireStack: Array.isArray(err.requireStack) ? err.requireStack : [] });
    continue;
  }
  entry.exports = EXPORTS.filter((k) => mod && k in mod);
  entry.types = Object.fromEntries(EXPORTS.map((k) => [k, mod ? typeof mod[k] : 'undefined']));
  try {
    entry.meta = mod && typeof mod.meta === 'object' ? plain(mod.meta) : null;
  } catch (err) {
    entry.meta = null;
  }
  if (mod && typeof mod.validate === 'function') {
    try {
      entry.validate = { ok: true, result: plain(mod.validate({})) };
    } catch (err) {
      entry.validate = { ok: false, ...failure(err) };
    }
  }
}
try {
  const { createServer } = require(path.join(SERVER, 'index.js'));
  if (typeof createServer !== 'function') report.server = { ok: false, notAFunction: true };
  else createServer();
} catch (err) {
  report.server = { ok: false, ...failure(err) };
}
fs.writeSync(3, JSON.stringify(report));
process.exit(0);
