'use strict';
// The withSubItems pattern: allergies and contacts are created and returned with the patient.
const { table, insert } = require('../store');

const SEVERITIES = ['mild', 'moderate', 'severe'];
const meta = { name: 'Patient', table: 'patients', refs: ['Clinic'], sub: ['PatientAllergy', 'PatientContact'] };

/** @param {{ clinicId?: number, fullName?: string, bornOn?: string, allergies?: { substance?: string, severity?: string }[] }} input */
function validate(input) {
  const messages = [];
  if (!input.clinicId) messages.push('clinicId is required');
  if (!input.fullName || !String(input.fullName).trim()) messages.push('fullName is required');
  if (!input.bornOn || Number.isNaN(Date.parse(input.bornOn))) messages.push('bornOn must be an ISO date');
  for (const [i, allergy] of (input.allergies ?? []).entries()) {
    if (!allergy.substance) messages.push(`allergies[${i}].substance is required`);
    if (!SEVERITIES.includes(allergy.severity)) messages.push(`allergies[${i}].severity must be one of ${SEVERITIES.join(', ')}`);
  }
  return messages;
}

const list = () => table(meta.table).map((p) => ({ ...p, allergies: table('patient_allergies').filter((a) => a.patientId === p.id) }));

function create(input) {
  const patient = insert(meta.table, { clinicId: input.clinicId, fullName: input.fullName.trim(), bornOn: input.bornOn });
  const allergies = (input.allergies ?? []).map((a) => insert('patient_allergies', { patientId: patient.id, substance: a.substance, severity: a.severity }));
  const contacts = (input.contacts ?? []).map((c) => insert('patient_contacts', { patientId: patient.id, phone: c.phone }));
  return { ...patient, allergies, contacts };
}

module.exports = { meta, validate, list, create };
