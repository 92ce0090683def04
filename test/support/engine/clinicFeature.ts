// "Record the blood type of each Patient" on examples/clinic, as the scripted agents answer
// it: real files the example's own validate commands accept.
import { say, specAnswer, writesThenDone, type AgentScript } from './agentScript';

export const CLINIC_REQUEST = 'Record the blood type of each Patient';

export const CLINIC_SPEC = `## Spec: Patient blood type

### Summary
Record the blood type of each patient and show it on the patients screen.

### Entity Info
- Pattern: withSubItems
- References: Clinic, Practitioner
- Type: Modification

### Requirements

#### REQ-1: Store a patient's blood type
**Acceptance criteria**
- REQ-1.1: WHEN a patient is saved with one of the eight blood types THE API SHALL store it.
- REQ-1.2: IF the blood type is not one of the eight THEN THE API SHALL refuse it with a validation message.

#### REQ-2: Show the blood type
**Acceptance criteria**
- REQ-2.1: WHEN the patients screen shows a patient with a blood type THE web app SHALL show it as a badge.

### Files to Create/Modify

#### Database
- [ ] apps/db/migrations/005_add_patient_blood_type.sql: add patients.blood_type

#### Backend
- [ ] apps/api/src/entities/patient-blood-type.js: the allowed blood types and their check

#### Frontend
- [ ] apps/web/src/blood-types.mjs: the blood type badge

### Tasks
1. [ ] Database: migration 005 adding blood_type to patients (REQ-1)
2. [ ] Backend: apps/api/src/entities/patient-blood-type.js (REQ-1)
3. [ ] Frontend: apps/web/src/blood-types.mjs (REQ-2)

### Dependencies
- None
`;

const MIGRATION = `ALTER TABLE patients ADD COLUMN blood_type TEXT CHECK (blood_type IN ('A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'));\n`;
const MODULE = `'use strict';
// Blood types a patient may have; used by patient.js.
const { table, insert } = require('../store');

const TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'];
const meta = { name: 'PatientBloodType', table: 'patient_blood_types', refs: ['Patient'], sub: [] };

/** @param {{ patientId?: number, bloodType?: string }} input */
function validate(input) {
  const messages = [];
  if (!input.patientId) messages.push('patientId is required');
  if (!TYPES.includes(input.bloodType)) messages.push(\`bloodType must be one of \${TYPES.join(', ')}\`);
  return messages;
}

const list = () => table(meta.table);
const create = (input) => insert(meta.table, { patientId: input.patientId, bloodType: input.bloodType });

module.exports = { meta, validate, list, create };
`;
const SCREEN = `// The blood type badge of the patients screen.
/** @param {{ bloodType?: string }} patient */
export function render(patient) {
  return patient.bloodType ? \`<span class="blood-type">\${patient.bloodType}</span>\` : '';
}
`;

export function clinicAgents(): Record<string, AgentScript> {
  return {
    spec: specAnswer('Patient blood type', 'patient-blood-type', CLINIC_SPEC),
    database: writesThenDone({ 'apps/db/migrations/005_add_patient_blood_type.sql': MIGRATION }),
    backend: writesThenDone({ 'apps/api/src/entities/patient-blood-type.js': MODULE }),
    frontend: writesThenDone({ 'apps/web/src/blood-types.mjs': SCREEN }),
    review: () => say.approve(),
  };
}
