// Issue 37 point 8: the bench's table says why a row could not run and records the machine's
// load beside every row, so a reader tells the code from the machine (bench/support/report.ts,
// bench/support/hostFailure.ts). The host's failure read from a real extension host is in
// test/e2e/ui/benchHostFailure.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hostFailure } from '../../../bench/support/hostFailure';
import { renderTable } from '../../../bench/support/report';

const dir = mkdtempSync(join(tmpdir(), 'orch-bench-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every row carries the load while its case ran, the header the cores; a case that could not run is an ERROR row with its reason', () => {
  const table = renderTable(
    [
      {
        file: 'a.ts',
        title: 'A',
        ms: 10,
        load: { start: 0.8, end: 1.24 },
        rows: [
          { name: 'ratio one', value: 2.5, unit: '×', target: '≥ 2', pass: true },
          { name: 'time', value: 120, unit: 'ms', target: '≤ 100 ms', pass: false, note: 'median of 3' },
        ],
      },
      {
        file: 'b.ts',
        title: 'Extension activation in the extension host',
        ms: 10,
        load: { start: 5.04, end: 6.96 },
        rows: [],
        error:
          'Error: the activation runner failed in extension host 1 of 5 (exit 1): timed out after 120.0 s | and more',
      },
    ],
    2,
  );
  const lines = table.split('\n');
  assert.equal(lines[0], '| # | Benchmark | Measured | Target | Result | Load (2 cores) | Scenario / details |');
  assert.equal(lines[2], '| 1 | ratio one | 2.50× | ≥ 2 | PASS | 0.8 → 1.2 |  |');
  assert.equal(lines[3], '| 2 | time | 120 ms | ≤ 100 ms | MISS | 0.8 → 1.2 | median of 3 |');
  assert.equal(
    lines[4],
    '| 3 | Extension activation in the extension host | — | — | ERROR | 5.0 → 7.0 | Error: the activation runner failed in extension host 1 of 5 (exit 1): timed out after 120.0 s \\| and more |',
  );
  for (const line of lines) assert.equal(line.split(/(?<!\\)\|/).length, 9, `seven cells: ${line}`);
});

test("a host's failure in its own words: the workbench's first errors, else its log's last error, else its last words", () => {
  const harness = [
    '[e2e] code-server on http://127.0.0.1:4711 ready in 3.2 s',
    "[warn] Failed to fetch https://open-vsx.org/vscode/gallery: the offline machine's chatter",
    "[error] Error: Cannot find module '/tmp/h0/engine.js' Require stack: - /tmp/h0/extension-0.js",
    "[error] Error: Cannot find module '/tmp/h0/engine.js' Require stack: - /tmp/h0/extension-0.js",
    '[error] Extension host test runner failed',
    '[e2e] extension tests exited with 1: total 9.1 s',
  ].join('\n');
  assert.equal(
    hostFailure(harness, join(dir, 'none')),
    "[error] Error: Cannot find module '/tmp/h0/engine.js' Require stack: - /tmp/h0/extension-0.js / [error] Extension host test runner failed",
  );
  assert.equal(
    hostFailure('[error] one\n[error] two\n[error] three\n[error] four', join(dir, 'none')),
    "[error] one / [error] two (+2 more in the bench's log)",
  );
  assert.match(
    hostFailure(
      '[e2e] timed out after 120.0 s (no codeAutomationExit); code-server said:\nsome server line',
      join(dir, 'none'),
    ),
    /^\[e2e\] timed out after 120\.0 s/,
  );

  const logs = join(dir, 'logs', 'exthost1');
  mkdirSync(logs, { recursive: true });
  writeFileSync(
    join(logs, 'exthost.log'),
    '2026-11-24 08:00:00.000 [info] Extension host started\n2026-11-24 08:00:01.000 [error] Activating extension orchestrator-bench.activation-stub failed: out of memory\n',
  );
  assert.equal(
    hostFailure('[e2e] extension tests exited with 1: total 4.0 s', join(dir, 'logs')),
    "the extension host's log: 2026-11-24 08:00:01.000 [error] Activating extension orchestrator-bench.activation-stub failed: out of memory",
  );
  assert.equal(
    hostFailure('[e2e] code-server ready\n[e2e] extension tests exited with 1: total 4.0 s', join(dir, 'none')),
    'the host said no error; its last words: [e2e] extension tests exited with 1: total 4.0 s',
  );
  assert.ok(hostFailure(`[error] ${'x'.repeat(2000)}`, join(dir, 'none')).length <= 400, 'one table cell, not a page');
  assert.ok(
    hostFailure(`[error] ${'x'.repeat(2000)}\n[error] b\n[error] c`, join(dir, 'none')).endsWith(
      "(+1 more in the bench's log)",
    ),
    'what more there is survives the clip',
  );
});
