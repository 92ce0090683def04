// A feature with two acceptance criteria on a pricing module, and the proof tests and
// implementations its agents write: for the proof-per-criterion engine tests (docs/proof.md).

export const PROOF_CONFIG = (yaml: string): string =>
  `${yaml}\nproof:\n  tests: ["server/test/acceptance/**"]\n  command: ["node --test --test-reporter=spec {files}"]\n  maxRounds: 2\n  strength: off\n`;

export const PRICING_SPEC = `## Spec: Discounts

### Summary
A pricing module that applies a percentage discount.

### Requirements

#### REQ-1: Percentage discount
**Acceptance criteria**
- REQ-1.1: WHEN a percent between 0 and 100 is given THE pricing module SHALL return the price reduced by that percent, rounded to cents.
- REQ-1.2: IF the percent is outside 0 to 100 THEN THE pricing module SHALL throw a RangeError.

### Files to Create/Modify

#### Backend
- [ ] \`server/pricing.js\`: discount(price, percent)

### Tasks
1. [ ] Backend: \`server/pricing.js\` exporting discount(price, percent) (REQ-1)
`;

export const PROOF_FILE = 'server/test/acceptance/pricing.test.js';

const header = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
// Loaded inside each test: until the module exists, each test fails on its own.
const pricing = () => require('../../pricing.js');
`;

export const REQ_1_1 = `
test('REQ-1.1 takes the percent off and rounds to cents', () => {
  assert.equal(pricing().discount(19.99, 15), 16.99);
  assert.equal(pricing().discount(10, 0), 10);
});
`;

export const REQ_1_2 = `
test('REQ-1.2 refuses a percent outside 0 to 100', () => {
  assert.throws(() => pricing().discount(10, 101), RangeError);
  assert.throws(() => pricing().discount(10, -1), RangeError);
});
`;

/** Passes whatever the code: the proof agent's first try at REQ-1.2, which RED sends back. */
export const VACUOUS_REQ_1_2 = `
test('REQ-1.2 refuses a percent outside 0 to 100', () => {
  assert.ok(true);
});
`;

export const proofFile = (...tests: string[]): string => header + tests.join('');

/** Right for REQ-1.1, wrong for REQ-1.2 (never throws). */
export const PRICING_NO_RANGE = `'use strict';
function discount(price, percent) {
  return Math.round(price * (100 - percent)) / 100;
}
module.exports = { discount };
`;

export const PRICING = `'use strict';
function discount(price, percent) {
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(\`percent must be between 0 and 100, got \${percent}\`);
  return Math.round(price * (100 - percent)) / 100;
}
module.exports = { discount };
`;
