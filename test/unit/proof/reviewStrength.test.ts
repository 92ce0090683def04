// The review reads the strength as evidence (docs/proof.md "Strength", issue 61): under each
// criterion's proof tests, its score and each mutant of the changed lines its tests let through,
// as the journal has them last; a criterion not measured says nothing of strength, and one whose
// engine failed says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { reviewProofSection } from '../../../src/core/pipeline/proof';
import type { Criterion } from '../../../src/core/trace';

const FILE = 'test/acceptance/price.test.js';
const proven = (criterion: string): EngineEvent[] => [
  { type: 'proof.test', criterion, file: FILE, name: `${criterion} formats`, red: 'failed' },
  { type: 'proof.green', criterion, file: FILE, green: 'passed', layer: 'backend' },
];
const criteria: Criterion[] = [
  { id: 'REQ-1.1', text: 'WHEN … SHALL …', line: 8 },
  { id: 'REQ-1.2', text: 'IF … THEN …', line: 9 },
];

test("review: each criterion's strength and surviving mutants under its proof tests; the latest measure only", () => {
  const survivors = Array.from({ length: 22 }, (_, i) => ({
    id: `m${i}`,
    file: 'lib/price.js',
    line: i + 1,
    change: `ConditionalExpression: cents < 0\n→ false`,
  }));
  const events: EngineEvent[] = [
    { type: 'proof.started', round: 1, criteria: ['REQ-1.1', 'REQ-1.2'] },
    ...proven('REQ-1.1'),
    ...proven('REQ-1.2'),
    { type: 'proof.strength', criterion: 'REQ-1.1', round: 0, tried: 30, killed: 0, survived: 30, survivors: [] },
    { type: 'proof.strength', criterion: 'REQ-1.1', round: 1, tried: 30, killed: 8, survived: 22, survivors },
  ];
  const section = reviewProofSection(events, criteria);
  const [one, two] = section.split(/\n(?=### REQ-1\.2)/);
  assert.match(
    one!,
    /### REQ-1\.1: proven\n- test\/acceptance\/price\.test\.js › REQ-1\.1 formats: red on the base failed, green after passed\nStrength against mutants of the changed lines: 26% \(8\/30 mutants killed\)\.\nSurviving mutants [^\n]*\n```\n\[m0\] lib\/price\.js:1 ConditionalExpression: cents < 0 → false\n/,
  );
  assert.equal([...one!.matchAll(/^\[m\d+\] lib\/price\.js:\d+ /gm)].length, 20, 'at most 20 listed, one line each');
  assert.match(one!, /```\n… and 2 more survived\.$/);
  assert.match(
    section,
    /\nA surviving mutant is a wrong implementation [^\n]*list it in `equivalent` \(\{mutant: its \[id\], why\}\)/,
    'how to mark one equivalent, once',
  );
  assert.doesNotMatch(two!, /Strength/, 'not measured: nothing said');
});

test('review: an engine that failed before any verdict is said so, by the first line of its error, never as a score of 0', () => {
  const events: EngineEvent[] = [
    ...proven('REQ-1.1'),
    {
      type: 'proof.strength',
      criterion: 'REQ-1.1',
      round: 0,
      tried: 3,
      killed: 0,
      survived: 0,
      survivors: [],
      error: 'StrykerJS failed (exit 1):\nError: Node.js version v20.20.2 detected.',
    },
  ];
  const section = reviewProofSection(events, criteria.slice(0, 1));
  assert.match(
    section,
    /\nStrength against mutants of the changed lines: not measured \(StrykerJS failed \(exit 1\)\)\.$/,
  );
});
