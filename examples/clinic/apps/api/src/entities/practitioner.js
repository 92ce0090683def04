'use strict';
const { table, insert } = require('../store');

const meta = { name: 'Practitioner', table: 'practitioners', refs: ['Clinic'], sub: [] };

/** @param {{ clinicId?: number, fullName?: string }} input */
function validate(input) {
  const messages = [];
  if (!input.clinicId) messages.push('clinicId is required');
  if (!input.fullName || !String(input.fullName).trim()) messages.push('fullName is required');
  return messages;
}

const list = () => table(meta.table);
const create = (input) => insert(meta.table, { clinicId: input.clinicId, fullName: input.fullName.trim() });

module.exports = { meta, validate, list, create };
