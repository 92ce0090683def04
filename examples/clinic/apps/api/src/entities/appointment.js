'use strict';
// The withApproval pattern: requested → confirmed → done (or cancelled).
const { table, insert } = require('../store');

const STATUSES = ['requested', 'confirmed', 'done', 'cancelled'];
const meta = { name: 'Appointment', table: 'appointments', refs: ['Clinic', 'Patient', 'Practitioner'], sub: [] };

/** @param {{ clinicId?: number, patientId?: number, practitionerId?: number, startsAt?: string, status?: string }} input */
function validate(input) {
  const messages = [];
  for (const key of ['clinicId', 'patientId', 'practitionerId']) if (!input[key]) messages.push(`${key} is required`);
  if (!input.startsAt || !/Z$/.test(input.startsAt)) messages.push('startsAt must be an ISO time in UTC');
  if (input.status !== undefined && !STATUSES.includes(input.status)) messages.push(`status must be one of ${STATUSES.join(', ')}`);
  return messages;
}

const list = () => table(meta.table);
const create = (input) => insert(meta.table, { ...input, status: input.status ?? 'requested' });

module.exports = { meta, validate, list, create };
