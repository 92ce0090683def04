import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTestOutput } from '../../../src/core/pipeline/audit/testOutput';

// Summaries as the runners print them (trimmed to what matters, colours and all).

test('node:test: spec reporter, TAP reporter, cancelled and todo, coverage table', () => {
  const spec = `▶ store\n  ✔ insert (1.2ms)\n  ✖ find (0.4ms)\nℹ tests 12\nℹ suites 1\nℹ pass 10\nℹ fail 1\nℹ cancelled 1\nℹ skipped 2\nℹ todo 1\nℹ duration_ms 88.1\nℹ start of coverage report\nℹ file      | line % | branch % | funcs % |\nℹ store.js  |  90.00 |    75.00 |  100.00 |\nℹ all files |  85.71 |    50.00 |  100.00 |\nℹ end of coverage report\n`;
  assert.deepEqual(parseTestOutput(spec), { runner: 'node:test', passed: 10, failed: 2, skipped: 3, coverage: 85.71 });
  const tap = `TAP version 13\n# Subtest: a\nok 1 - a\n1..1\n# tests 1\n# suites 0\n# pass 1\n# fail 0\n# cancelled 0\n# skipped 0\n# todo 0\n`;
  assert.deepEqual(parseTestOutput(tap), { runner: 'node:test', passed: 1, failed: 0, skipped: 0 });
});

test('jest: the Tests: line and the istanbul table (line coverage column)', () => {
  const out = `\x1b[1mTests:\x1b[22m       \x1b[31m1 failed\x1b[39m, 2 skipped, 44 passed, 47 total\nSnapshots:   0 total\n----------|---------|----------|---------|---------|\nFile      | % Stmts | % Branch | % Funcs | % Lines |\n----------|---------|----------|---------|---------|\nAll files |   95.12 |       80 |     100 |   94.87 |\n api.js   |     100 |      100 |     100 |     100 |\n`;
  assert.deepEqual(parseTestOutput(out), { runner: 'jest', passed: 44, failed: 1, skipped: 2, coverage: 94.87 });
});

test('vitest: the Tests line with counts and the total in parentheses', () => {
  const out = ` ✓ src/a.test.ts (3 tests) 4ms\n\n Test Files  1 failed | 4 passed (5)\n      Tests  2 failed | 43 passed | 1 skipped (46)\n   Start at  10:00:00\n`;
  assert.deepEqual(parseTestOutput(out), { runner: 'vitest', passed: 43, failed: 2, skipped: 1 });
  assert.deepEqual(parseTestOutput('      Tests  45 passed (45)\n'), {
    runner: 'vitest',
    passed: 45,
    failed: 0,
    skipped: 0,
  });
});

test('pytest: the closing line (passed, failed, errors, skipped) and pytest-cov TOTAL', () => {
  const out = `tests/test_api.py ........................  [ 53%]\n---------- coverage: platform linux, python 3.12 ----------\nName                             Stmts   Miss  Cover\n----------------------------------------------------\nai_service/api.py                  120      5    96%\n----------------------------------------------------\nTOTAL                              330     15    95%\n\n========= 2 failed, 43 passed, 1 skipped, 1 error in 12.30s =========\n`;
  assert.deepEqual(parseTestOutput(out), { runner: 'pytest', passed: 43, failed: 3, skipped: 1, coverage: 95 });
  assert.deepEqual(parseTestOutput('==================== 45 passed in 0.12s ====================\n'), {
    runner: 'pytest',
    passed: 45,
    failed: 0,
    skipped: 0,
  });
});

test('dotnet test: one summary per test project, summed; coverlet total', () => {
  const out = `Passed!  - Failed:     0, Passed:    45, Skipped:     0, Total:    45, Duration: 1 s - Shop.Tests.dll (net8.0)\nFailed!  - Failed:     2, Passed:    10, Skipped:     1, Total:    13, Duration: 300 ms - Api.Tests.dll (net8.0)\n+---------+--------+--------+--------+\n| Module  | Line   | Branch | Method |\n+---------+--------+--------+--------+\n| Total   | 87.5%  | 70%    | 90%    |\n`;
  assert.deepEqual(parseTestOutput(out), { runner: 'dotnet', passed: 55, failed: 2, skipped: 1, coverage: 87.5 });
  const legacy = `Total tests: 12\n     Passed: 11\n     Failed: 1\n Total time: 1.2 Seconds\n`;
  assert.deepEqual(parseTestOutput(legacy), { runner: 'dotnet', passed: 11, failed: 1, skipped: 0 });
});

test('go test: -v verdicts (subtests included), or one line per package; coverage averaged', () => {
  const verbose = `=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n    --- PASS: TestB/one (0.00s)\n    --- FAIL: TestB/two (0.00s)\n--- FAIL: TestB (0.00s)\n--- SKIP: TestC (0.00s)\nFAIL\nFAIL\texample.com/shop/api\t0.012s\nok  \texample.com/shop/store\t0.010s\tcoverage: 80.0% of statements\n`;
  assert.deepEqual(parseTestOutput(verbose), { runner: 'go', passed: 2, failed: 2, skipped: 1, coverage: 80 });
  const quiet = `ok  \texample.com/a\t0.01s\tcoverage: 70.0% of statements\nok  \texample.com/b\t0.02s\tcoverage: 90.0% of statements\n?   \texample.com/c\t[no test files]\n`;
  assert.deepEqual(parseTestOutput(quiet), { runner: 'go', passed: 2, failed: 0, skipped: 0, coverage: 80 });
});

test('unknown output gives no figures (the exit code stays the verdict)', () => {
  assert.deepEqual(parseTestOutput('All good!\n'), {});
  assert.deepEqual(parseTestOutput(''), {});
});
