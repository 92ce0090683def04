import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from '../../../src/cli/args';
import { reply } from '../../support/messagesApiServer';
import { auditor, fixer, INDEX_P0, RISING_SCORES, type ScriptedFinding } from '../../support/auditScript';
import type { ShopWorkspace } from '../../support/engine/shopWorkspace';
import { buildCli, cliWorld, journalTypes, jsonOf, startCli } from '../../support/cli/cliKit';

before(() => buildCli());

function runIdsOf(shop: ShopWorkspace): string[] {
  const dir = join(shop.dir, '.claude', 'runs');
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : [];
}

const countOf = (text: string, needle: string): number => text.split(needle).length - 1;

test('cli: parses the audit command and its options; misplaced or bad values are usage errors', () => {
  const args = parseArgs(
    [
      'audit',
      'server',
      '--dimension',
      'security',
      '--target=90',
      '--max-iterations',
      '3',
      '--max-budget',
      '2.5',
      '--yes',
    ],
    '/w',
  );
  assert.deepEqual(
    [args.command, args.positional, args.dimension, args.target, args.maxIterations, args.maxBudget, args.yes],
    ['audit', 'server', 'security', 90, 3, 2.5, true],
  );
  assert.equal(parseArgs(['resume', '--max-budget', '10'], '/w').maxBudget, 10);
  assert.throws(() => parseArgs(['audit'], '/w'), /audit needs <path>/);
  assert.throws(
    () => parseArgs(['audit', 'x', '--target', '150'], '/w'),
    /--target needs a score from 0 to 100 \(got "150"\)/,
  );
  assert.throws(
    () => parseArgs(['audit', 'x', '--max-iterations', '2.5'], '/w'),
    /--max-iterations needs a whole number/,
  );
  assert.throws(() => parseArgs(['audit', 'x', '--max-budget'], '/w'), /--max-budget needs a value/);
  assert.throws(
    () => parseArgs(['feature', 'x', '--dimension', 'backend'], '/w'),
    /--dimension is not an option of feature/,
  );
});

test('cli: audit --yes --json prints scores[] and findings{} with the audit figures (exit 0); the report is on disk', async () => {
  const w = await cliWorld({ audit: auditor(), backend: fixer() });
  try {
    const result = await w.cli('audit', 'server', '--dimension', 'backend', '--yes', '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonOf(result);
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.scores, RISING_SCORES);
    const findings = summary.findings as {
      before: Record<string, number>;
      after: Record<string, number>;
      open: unknown[];
    };
    assert.deepEqual(findings.before, { P0: 1, P1: 1, P2: 1, P3: 0 });
    assert.deepEqual(findings.after, { P0: 0, P1: 0, P2: 0, P3: 0 });
    assert.deepEqual(findings.open, []);
    const audit = summary.audit as Record<string, unknown>;
    assert.equal(audit.reason, 'target');
    assert.equal(summary.targetReached, true);
    assert.equal(summary.reason, 'target');
    assert.deepEqual(audit.iterations, { used: 3, max: 10 });
    assert.equal(audit.target, 'server');
    assert.ok(existsSync(join(w.shop.dir, String(audit.reportPath))));
    assert.match(result.stderr, /▶ DISCOVERY/);
    assert.match(result.stderr, /score 75\/100 \(baseline\): 3 findings/);
    assert.match(result.stderr, /▶ RE-AUDIT 3/);
  } finally {
    await w.close();
  }
});

test('cli: an audit that ends below its target exits 1; --json says targetReached false and why', async () => {
  const w = await cliWorld({ audit: auditor([75, 75, 74], [[INDEX_P0], [INDEX_P0], [INDEX_P0]]), backend: fixer() });
  try {
    const stuck = await w.cli('audit', 'server', '--dimension', 'backend', '--target', '90', '--yes', '--json');
    assert.equal(stuck.code, 1, stuck.stderr);
    const summary = jsonOf(stuck);
    assert.equal(summary.status, 'completed');
    assert.equal(summary.targetReached, false);
    assert.equal(summary.reason, 'no-improvement');
    const report = readFileSync(join(w.shop.dir, String((summary.audit as { reportPath: string }).reportPath)), 'utf8');
    assert.match(report, /\*\*Target not reached: two iterations without improvement\*\*/);

    const capped = await w.cli(
      'audit',
      'server',
      '--dimension',
      'backend',
      '--target',
      '90',
      '--max-iterations',
      '1',
      '--yes',
    );
    assert.equal(capped.code, 1, capped.stderr);
    assert.match(capped.stdout, /target not reached \(max-iterations\)/);
  } finally {
    await w.close();
  }
});

test('cli: kill -9 during CLOSE GAPS, then a bare resume continues without re-auditing or redoing a validated fix', async () => {
  const dbFinding: ScriptedFinding = {
    id: 'DB-1',
    severity: 'P0',
    description: 'customers.email is unique case-sensitively while the backend lowercases addresses.',
    file: 'db/migrations/001_create_customer.sql',
    line: 9,
    recommendation:
      'Note the lowercase convention next to the table (a comment) until a migration can add a functional index.',
  };
  let backendHeld = false;
  const backend = fixer();
  const w = await cliWorld({
    audit: auditor([80, 100], [[dbFinding, INDEX_P0], []]),
    database: fixer(),
    backend: (call) => {
      if (call.turn === 0 && !backendHeld) {
        backendHeld = true;
        return reply.slow(backend(call), { beforeMs: 120_000 });
      }
      return backend(call);
    },
  });
  try {
    const run = startCli(['audit', '.', '--dimension', 'architecture', '--yes', '--json'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
    });
    let runId: string | undefined;
    for (let i = 0; i < 800; i++) {
      runId = runIdsOf(w.shop)[0];
      const events = runId ? journalTypes(w.shop.dir, runId) : [];
      const databaseFixed = events.some((e) => e.type === 'audit.job.ended' && String(e.job).includes('/database/'));
      if (databaseFixed && backendHeld) break;
      await sleep(25);
    }
    assert.ok(runId, 'the run journal exists');
    run.child.kill('SIGKILL');
    assert.equal((await run.done).signal, 'SIGKILL');
    const journal = journalTypes(w.shop.dir, runId);
    assert.ok(journal.some((e) => e.type === 'phase.started' && e.phase === 'CLOSE GAPS 1'));
    assert.ok(!journal.some((e) => e.type === 'phase.completed' && e.phase === 'CLOSE GAPS 1'));
    assert.ok(journal.some((e) => e.type === 'validation.passed' && e.layer === 'database'));
    // The database change is a schema change: asked (answered by --yes) and journaled.
    assert.ok(journal.some((e) => e.type === 'confirmation' && e.kind === 'schema-change' && e.answer === true));
    const [databaseCalls, auditCalls] = [w.callsOf('database').length, w.callsOf('audit').length];

    const listed = JSON.parse((await w.cli('runs', '--json')).stdout) as {
      runId: string;
      kind: string;
      status: string;
    }[];
    assert.deepEqual(
      listed.map((r) => [r.runId, r.kind, r.status]),
      [[runId, 'audit', 'interrupted']],
    );

    const resumed = await w.cli('resume', '--yes', '--json');
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = jsonOf(resumed);
    assert.equal(summary.runId, runId);
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.scores, [80, 100]);
    assert.equal(w.callsOf('database').length, databaseCalls, 'the validated database fix was not redone');
    const reaudits = w.callsOf('audit').slice(auditCalls);
    assert.ok(
      reaudits.length > 0 && reaudits.every((c) => /## RE-AUDIT \(after iteration 1\)/.test(c.task)),
      'only the re-audit ran after the resume',
    );
    assert.match(
      reaudits[0]!.task,
      /### Your previous findings[\s\S]*DB-1/,
      'a fresh re-audit is given the previous findings',
    );
    const resumedFix = w.callsOf('backend').at(-2)!;
    assert.match(resumedFix.task, /## RESUMED/);
    assert.equal(countOf(w.shop.read('db/migrations/001_create_customer.sql'), '-- audit: DB-1'), 1);
    assert.equal(countOf(w.shop.read('server/index.js'), '// audit: BE-1'), 1);
  } finally {
    await w.close();
  }
});
