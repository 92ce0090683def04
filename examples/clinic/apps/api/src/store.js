'use strict';
// An in-memory table per entity: enough for an example, no database driver needed.
const tables = new Map();

/** @param {string} name */
function table(name) {
  if (!tables.has(name)) tables.set(name, []);
  return tables.get(name);
}

/** @param {string} name @param {object} row */
function insert(name, row) {
  const rows = table(name);
  const stored = { id: rows.length + 1, ...row };
  rows.push(stored);
  return stored;
}

module.exports = { table, insert };
