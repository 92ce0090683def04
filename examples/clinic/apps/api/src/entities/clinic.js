'use strict';
// The simple pattern: one table, no sub-items.
const { table, insert } = require('../store');

const meta = { name: 'Clinic', table: 'clinics', refs: [], sub: [] };

/** @param {{ name?: string }} input @returns {string[]} */
function validate(input) {
  const messages = [];
  if (!input.name || !String(input.name).trim()) messages.push('name is required');
  return messages;
}

const list = () => table(meta.table);
const create = (input) => insert(meta.table, { name: String(input.name).trim() });

module.exports = { meta, validate, list, create };
