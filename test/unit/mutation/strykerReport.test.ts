// StrykerJS's report read per suite (src/core/mutation/stryker/strykerReport.ts readStrykerSuites):
// one run over several criteria's test files, each mutant judged by each file's tests alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readStrykerReport, readStrykerSuites } from '../../../src/core/mutation/stryker/strykerReport';

const at = (line: number) => ({ start: { line, column: 2 }, end: { line, column: 9 } });
const REPORT = JSON.stringify({
  schemaVersion: '2',
  files: {
    'src/price.js': {
      mutants: [
        // Killed by A's test; B's ran against it and passed.
        {
          mutatorName: 'EqualityOperator',
          replacement: 'a >= b',
          status: 'Killed',
          location: at(2),
          killedBy: ['0'],
          coveredBy: ['0', '1'],
        },
        // Killed by B's only (bail off: A's ran too and passed).
        {
          mutatorName: 'BooleanLiteral',
          replacement: 'false',
          status: 'Killed',
          location: at(3),
          killedBy: ['1'],
          coveredBy: ['0', '1'],
        },
        // A hang that only A's test reached; a hang both reached (which test hung is not known).
        { mutatorName: 'BlockStatement', replacement: '{}', status: 'Timeout', location: at(4), coveredBy: ['0'] },
        {
          mutatorName: 'ConditionalExpression',
          replacement: 'true',
          status: 'Timeout',
          location: at(5),
          coveredBy: ['0', '1'],
        },
        { mutatorName: 'StringLiteral', replacement: '""', status: 'NoCoverage', location: at(6) },
        { mutatorName: 'ArithmeticOperator', replacement: 'a - b', status: 'CompileError', location: at(7) },
        { mutatorName: 'ArithmeticOperator', replacement: 'a * b', status: 'Ignored', location: at(8) },
      ],
    },
  },
  testFiles: {
    'test/a.test.js': { tests: [{ id: '0', name: 'A' }] },
    'test/b.test.js': { tests: [{ id: '1', name: 'B' }] },
  },
});

test("strykerReport: each suite judged by its own tests: a kill is the killing test's suite's, a hang only where one suite reached it, no verdict where two did", () => {
  const overall = [...readStrykerReport(REPORT).values()];
  assert.deepEqual(overall, ['killed', 'killed', 'timeout', 'timeout', 'survived', 'error']);
  const [a, b] = readStrykerSuites(REPORT, [['test/a.test.js'], ['test/b.test.js']]).map((m) => [...m.values()]);
  assert.deepEqual(a, ['killed', 'survived', 'timeout', 'error', 'survived', 'error']);
  assert.deepEqual(b, ['survived', 'killed', 'survived', 'error', 'survived', 'error']);
  // Both files one suite: as the report says.
  assert.deepEqual([...readStrykerSuites(REPORT, [['test/a.test.js', 'test/b.test.js']])[0]!.values()], overall);
});
