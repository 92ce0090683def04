// A small real node project whose spec was proven per criterion (docs/proof.md): a price module,
// its proof tests under test/acceptance run by `node --test {files}`, a completed spec, and the
// journals of the runs that proved it, written here as the engine journals them (proof.*
// events), so the matrix, the views and verify read what a real run leaves.
import { join } from 'node:path';
import type { EngineEvent } from '../../src/core/events';
import { Journal } from '../../src/core/journal';
import { createSpec, moveToCompleted } from '../../src/core/project/specs';
import { committedRepo, git, write } from './gitFixture';

export const PRICE_MODULE = `'use strict';
function format(cents) {
  if (!Number.isInteger(cents)) throw new TypeError('cents must be an integer');
  if (cents < 0) throw new RangeError('a price is never negative');
  return \`\${(cents / 100).toFixed(2)} €\`;
}
module.exports = { format };
`;

/** REQ-1.2 broken: a negative price gets through. */
export const NEGATIVE_ACCEPTED = PRICE_MODULE.replace(
  "  if (cents < 0) throw new RangeError('a price is never negative');\n",
  '',
);

export const PROOF_FILE = 'test/acceptance/price.test.js';
/** The proof agent's name for REQ-1.4's test: hostile to every host that shows it. */
export const HOSTILE_NAME = 'REQ-1.4 [click](https://evil.example/x) <img src=x onerror=alert(1)> | `tick`';

export const PROOF_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { format } = require('../../lib/price');

test('REQ-1.1 formats cents as euros', () => {
  assert.equal(format(1234), '12.34 €');
});

test('REQ-1.2 refuses a negative price', () => {
  assert.throws(() => format(-1), /never negative/);
});

test('REQ-1.3 refuses a fraction of a cent', () => {
  assert.throws(() => format(1.5), /integer/);
});

test(${JSON.stringify(HOSTILE_NAME)}, () => {
  assert.equal(typeof format, 'function');
});
`;

export const PRICE_SPEC = `## Spec: Price formatting

### Summary
Prices are formatted in euros and bad ones refused.

### Requirements

#### REQ-1: Format prices
**Acceptance criteria**
- REQ-1.1: WHEN a price in cents is formatted THE module SHALL show it in euros with two decimals.
- REQ-1.2: IF the price is negative THEN THE module SHALL refuse it.
- REQ-1.3: IF the price is not a whole number of cents THEN THE module SHALL refuse it.
- REQ-1.4: WHEN the module is loaded THE module SHALL export format.

#### REQ-2: Show prices calmly
**Acceptance criteria**
- REQ-2.1: WHEN a price is shown THE page SHALL look calm.
- REQ-2.2: WHEN a price is shown THE page SHALL use the shop's font.

### Files to Create/Modify

#### Backend
- [x] lib/price.js: format and refuse prices

### Tasks
1. [x] Backend: lib/price.js formatting prices and refusing bad ones (REQ-1, REQ-2)
`;

export const PROOF_CONFIG = `version: 1
layers:
  backend:
    owns: ["lib/**"]
    validate: []
proof:
  tests: ["test/acceptance/**"]
  command: ["node --test {files}"]
`;

const test = (criterion: string, name: string, red: 'failed' | 'passed' = 'failed'): EngineEvent => ({
  type: 'proof.test',
  criterion,
  file: PROOF_FILE,
  name,
  red,
  output: red === 'failed' ? `not ok - ${name}` : `ok - ${name}`,
});
const green = (criterion: string, result: 'passed' | 'failed'): EngineEvent => ({
  type: 'proof.green',
  criterion,
  file: PROOF_FILE,
  green: result,
  layer: 'backend',
  ...(result === 'failed' ? { output: `not ok - ${criterion}` } : {}),
});

/**
 * The first run: PROVE wrote a test per criterion of REQ-1 (REQ-1.4's passes on the base: vacuous),
 * could not test REQ-2.1 (a look) and left REQ-2.2 alone; the backend's validation ran them green,
 * but REQ-1.2's failed, and the run stopped there.
 */
export function firstRun(runId: string, specId: string): EngineEvent[] {
  return [
    { type: 'run.started', runId, kind: 'feature', request: 'Format prices', specId },
    { type: 'spec.approved', specId },
    { type: 'proof.started', round: 1, criteria: ['REQ-1.1', 'REQ-1.2', 'REQ-1.3', 'REQ-1.4', 'REQ-2.1', 'REQ-2.2'] },
    test('REQ-1.1', 'REQ-1.1 formats cents as euros'),
    test('REQ-1.2', 'REQ-1.2 refuses a negative price'),
    test('REQ-1.3', 'REQ-1.3 refuses a fraction of a cent'),
    test('REQ-1.4', HOSTILE_NAME, 'passed'),
    { type: 'proof.test', criterion: 'REQ-2.1', red: 'untestable', untestable: 'a look, judged by the review' },
    { type: 'proof.frozen', hashes: { [PROOF_FILE]: 'sha256-of-the-test' } },
    { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
    { type: 'file.written', agent: 'backend', path: 'lib/price.js', created: true, bytes: PRICE_MODULE.length },
    { type: 'validation.started', layer: 'backend', command: 'proof tests' },
    green('REQ-1.1', 'passed'),
    green('REQ-1.2', 'failed'),
    green('REQ-1.3', 'passed'),
    {
      type: 'validation.failed',
      layer: 'backend',
      command: 'node --test test/acceptance/price.test.js',
      output: 'not ok - REQ-1.2',
      exitCode: 1,
    },
    { type: 'run.stopped', runId, reason: 'validation', report: 'REQ-1.2 fails' },
  ];
}

/** The second run on the same spec: the fix; GREEN again, REQ-1.2 now passes, and the spec completes. */
export function secondRun(
  runId: string,
  specId: string,
  specPath: string,
  last: { 'REQ-1.3': 'passed' | 'failed' } = { 'REQ-1.3': 'passed' },
): EngineEvent[] {
  return [
    { type: 'run.started', runId, kind: 'feature', request: 'Format prices (resumed)', specId },
    { type: 'agent.started', agent: 'backend', attempt: 2, mode: 'fix' },
    { type: 'file.written', agent: 'backend', path: 'lib/price.js', created: false, bytes: PRICE_MODULE.length },
    green('REQ-1.1', 'passed'),
    green('REQ-1.2', 'passed'),
    green('REQ-1.3', last['REQ-1.3']),
    { type: 'validation.passed', layer: 'backend' },
    { type: 'spec.completed', specId, path: specPath },
    { type: 'run.completed', runId, summary: {} },
  ];
}

export interface ProofProject {
  dir: string;
  specId: string;
  /** The completed spec.md, workspace-relative. */
  specPath: string;
  write(path: string, content: string): void;
}

/**
 * The project committed in a new git repository (a folder gitFixture removes when the process
 * ends), its spec completed, and the two runs' journals one minute apart. `runs`: other events.
 */
export async function proofProject(
  runs: (specId: string, specPath: string) => EngineEvent[][] = (specId, specPath) => [
    firstRun('20261121-100000-aaaa', specId),
    secondRun('20261121-110000-bbbb', specId, specPath),
  ],
): Promise<ProofProject> {
  const dir = committedRepo(
    {
      '.claude/orchestrator.yaml': PROOF_CONFIG,
      'lib/price.js': PRICE_MODULE,
      [PROOF_FILE]: PROOF_TEST,
      '.gitignore': '.claude/runs/\n',
    },
    'the price module',
    'orch-proof-',
  );
  const clock = () => new Date('2026-11-21T09:00:00.000Z');
  const spec = await createSpec(
    dir,
    { title: 'Price formatting', kind: 'feature', layers: ['backend'], markdown: PRICE_SPEC, status: 'approved' },
    { clock },
  );
  const completed = await moveToCompleted(dir, spec.id);
  runs(spec.id, completed.path).forEach((events, index) => {
    const runId = events[0]?.type === 'run.started' ? events[0].runId : `run-${index}`;
    let minute = 0;
    const journal = Journal.create(dir, runId, { now: () => new Date(Date.UTC(2026, 10, 21, 10 + index, minute++)) });
    events.forEach((event) => journal.append(event));
    journal.close();
  });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the spec, completed');
  return { dir, specId: spec.id, specPath: completed.path, write: (path, content) => write(dir, path, content) };
}

/** The journal file of a run (to read back what was written). */
export const journalFile = (dir: string, runId: string) => join(dir, '.claude', 'runs', runId, 'events.jsonl');
