// A tiny in-memory table store standing in for the database (db/migrations describe the schema).
// Rows are plain objects with a numeric `id`; each table is a Map keyed by id.
'use strict';

/** @type {Map<string, Map<number, object>>} */
const tables = new Map();
/** @type {Map<string, number>} */
const nextIds = new Map();

function table(name) {
  if (!tables.has(name)) tables.set(name, new Map());
  return /** @type {Map<number, object>} */ (tables.get(name));
}

/** @param {string} name @returns {object[]} every row, by ascending id */
function all(name) {
  return [...table(name).values()];
}

/** @param {string} name @param {number} id @returns {object | undefined} */
function find(name, id) {
  return table(name).get(id);
}

/** @param {string} name @param {(row: any) => boolean} predicate @returns {object[]} */
function where(name, predicate) {
  return all(name).filter(predicate);
}

/** @param {string} name @param {object} values @returns {object} the stored row with its new id */
function insert(name, values) {
  const id = (nextIds.get(name) || 0) + 1;
  nextIds.set(name, id);
  const row = { id, ...values };
  table(name).set(id, row);
  return row;
}

/** Empties every table (tests). */
function reset() {
  tables.clear();
  nextIds.clear();
}

module.exports = { all, find, where, insert, reset };
