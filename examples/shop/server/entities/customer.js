// Customer — the reference module for the "simple" pattern.
// Every entity module exports { meta, validate, list, get, create }; server/index.js serves it
// at /api/<meta.path> and scripts/check-server.js checks the shape. Table: db/migrations/001.
'use strict';

const store = require('../store');
const { ValidationError, NotFoundError } = require('../errors');

const meta = {
  name: 'Customer',
  table: 'customers',
  path: 'customers',
  pattern: 'simple',
  refs: [],
  subs: [],
};

/** @typedef {{ id: number, name: string, email: string, createdAt: string }} Customer */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** @param {any} input @returns {string[]} one message per invalid field, empty when valid */
function validate(input) {
  const errors = [];
  if (!input || typeof input !== 'object') return ['body must be a JSON object'];
  if (typeof input.name !== 'string' || !input.name.trim()) errors.push('name is required');
  else if (input.name.length > 100) errors.push('name must be at most 100 characters');
  if (typeof input.email !== 'string' || !EMAIL.test(input.email)) errors.push('email must be a valid address');
  else if (store.where(meta.table, (c) => c.email === input.email.toLowerCase()).length) errors.push('email is already used');
  return errors;
}

/** @returns {Customer[]} */
function list() {
  return /** @type {Customer[]} */ (store.all(meta.table));
}

/** @param {number} id @returns {Customer} */
function get(id) {
  const row = store.find(meta.table, id);
  if (!row) throw new NotFoundError(meta.name, id);
  return /** @type {Customer} */ (row);
}

/** @param {any} input @returns {Customer} */
function create(input) {
  const errors = validate(input);
  if (errors.length) throw new ValidationError(errors);
  return /** @type {Customer} */ (store.insert(meta.table, {
    name: input.name.trim(),
    email: input.email.toLowerCase(),
    createdAt: new Date().toISOString(),
  }));
}

module.exports = { meta, validate, list, get, create };
