import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { lastToolResults } from '../../support/messagesApiServer';
import {
  auditor,
  fixer,
  RISING_FINDINGS,
  RISING_SCORES,
  STORE_P2,
  submitAudit,
  INDEX_P0,
} from '../../support/auditScript';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import type { AgentScript } from '../../support/engine/agentScript';

const TEMPLATES = resolve(__dirname, '../../../.claude');

/** One store test, so TEST has a real node:test run to parse. */
const STORE_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert');
const store = require('./store');
test('insert gives ids from 1', () => { store.reset(); assert.equal(store.insert('t', {}).id, 1); });
test('find returns the row', () => { store.reset(); const row = store.insert('t', { a: 1 }); assert.equal(store.find('t', row.id), row); });
`;

/**
 * The test command (`env -u`: these tests run under node --test, whose NODE_TEST_CONTEXT would
 * turn the child's report into the parent runner's binary protocol).
 */
const TEST_COMMAND = 'env -u NODE_TEST_CONTEXT node --test server/store.test.js';

function auditConfig(extra = ''): (yaml: string) => string {
  return (yaml) =>
    `${yaml.replace(/\n\s+agents:\n/, '\n  agents:\n    documentation: claude-haiku-5-5\n')}\naudit:\n  test: ["${TEST_COMMAND}"]\n${extra}`;
}

async function auditWorld(agents: Record<string, AgentScript>, config = auditConfig()): Promise<Harness> {
  return harness(agents, { config, files: { 'server/store.test.js': STORE_TEST } });
}

const request = (extra: Partial<Parameters<typeof engine.runAudit>[0]> = {}) => ({
  target: 'server',
  dimension: 'backend',
  ...extra,
});

test('audit: 75 → 82 → 91 → 100 stops at the target; every phase journaled; report, --json figures and cost per role', async () => {
  const h = await auditWorld({ audit: auditor(), backend: fixer() });
  try {
    const summary = await engine.runAudit(request(), h.options({ templatesDir: TEMPLATES }));
    assert.equal(summary.status, 'completed', summary.error);
    const audit = summary.audit!;
    assert.deepEqual(audit.scores, RISING_SCORES);
    assert.equal(audit.reason, 'target');
    assert.deepEqual(audit.iterations, { used: 3, max: 10 });
    assert.deepEqual(audit.findings.before, { P0: 1, P1: 1, P2: 1, P3: 0 });
    assert.deepEqual(audit.findings.after, { P0: 0, P1: 0, P2: 0, P3: 0 });
    assert.deepEqual(audit.findings.worked, { P0: 1, P1: 1, P2: 1, P3: 1 });
    assert.deepEqual(
      summary.phases.map((p) => p.name).filter((name) => name !== 'CHECKPOINT'),
      [
        'DISCOVERY',
        'AUDIT',
        ...[1, 2, 3].flatMap((n) => [`CLOSE GAPS ${n}`, `ENHANCE ${n}`, `TEST ${n}`, `RE-AUDIT ${n}`]),
      ],
    );
    // Four audits: the baseline and three re-audits, each continuing the previous conversation.
    const audits = h.callsOf('audit').filter((c) => c.turn === 0);
    assert.equal(audits.length, 4);
    assert.ok(audits.slice(1).every((c) => c.continued && /## RE-AUDIT \(after iteration \d\)/.test(c.task)));
    assert.match(audits[1]!.task, /backend \(fix\) worked on BE-1/);
    assert.match(audits[1]!.task, /server\/index\.js/);
    assert.match(audits[1]!.task, /node --test server\/store\.test\.js`: passed \(2 passed, 0 failed\)/);

    // ENHANCE waits for the minimum acceptable score (80): skipped at 75, run at 82.
    const journal = journalOf(h.shop, summary.runId);
    const jobs = journal
      .filter((e) => e.type === 'audit.job.started')
      .map((e) => `${e.phase}/${e.role}:${(e.findings as string[]).join(',')}`);
    assert.deepEqual(jobs, [
      'CLOSE GAPS 1/fix:BE-1',
      'CLOSE GAPS 1/fix:BE-2',
      'CLOSE GAPS 2/fix:BE-2',
      'ENHANCE 2/enhance:BE-3',
      'ENHANCE 2/documentation:BE-4',
      'ENHANCE 3/enhance:BE-3',
    ]);
    assert.ok(
      journal.some(
        (e) =>
          e.type === 'log' &&
          /ENHANCE 1 skipped: the score 75 is below audit.minAcceptableScore \(80\)/.test(String(e.message)),
      ),
    );
    // Every fix went through the backend's own build.
    assert.equal(journal.filter((e) => e.type === 'validation.passed' && e.layer === 'backend').length, 6);
    assert.match(h.shop.read('server/index.js'), /\/\/ audit: BE-1/);
    assert.match(h.shop.read('server/errors.js'), /\/\/ audit: BE-4/);

    // The documentation job ran on the documentation role's model; cost is reported per role.
    const docCalls = h.callsOf('backend').filter((c) => /## DOCUMENTATION FINDINGS/.test(c.task));
    assert.ok(docCalls.length > 0 && docCalls.every((c) => c.req.body.model === 'claude-haiku-5-5'));
    assert.deepEqual(Object.keys(audit.costByRole).sort(), ['audit', 'documentation', 'enhance', 'fix']);
    assert.ok(Object.values(audit.costByRole).every((usd) => usd > 0));
    assert.ok(Math.abs(Object.values(audit.costByRole).reduce((a, b) => a + b, 0) - summary.costUsd) < 1e-6);

    assert.deepEqual(
      audit.tests?.map((t) => [t.runner, t.passed, t.failed]),
      [['node:test', 2, 0]],
    );
    assert.equal(audit.linesAdded, 6);
    assert.equal(audit.linesRemoved, 0);
    assert.equal(audit.reportPath, `.claude/runs/${summary.runId}/report.md`);
    const report = h.shop.read(audit.reportPath!);
    assert.match(report, /\*\*Target reached\*\* · score 100\/100/);
    assert.match(report, /\| Score \| 75\/100 → 100\/100 \(\+25\), target 100 \|/);
    assert.match(report, /\| Iterations \| 3\/10 \(30% used\) \|/);
    assert.match(report, /\| Cost \| \$\d+\.\d\d\/\$5\.00/);
    assert.match(report, /\| P0 \(critical\) \| 1 \| 0 ✅ \| 1 \|/);
    assert.match(report, /- Lines: \+6 \/ −0/);
    assert.match(report, /Iteration 1, backend \(fix\) worked on P0 BE-1 \(server\/index\.js:26\): Closed BE-1\./);
    assert.match(report, /node --test server\/store\.test\.js`: passed \(2 passed, 0 failed\)/);
    assert.match(report, /- documentation: \$/);
  } finally {
    await h.close();
  }
});

test('audit: the iteration cap ends the loop below the target (completed, reason max-iterations)', async () => {
  const h = await auditWorld({ audit: auditor(), backend: fixer() });
  try {
    const summary = await engine.runAudit(
      request({ maxIterations: 2, targetScore: 95 }),
      h.options({ templatesDir: TEMPLATES }),
    );
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.audit?.scores, [75, 82, 91]);
    assert.equal(summary.audit?.reason, 'max-iterations');
    assert.equal(summary.audit?.targetReached, false);
    assert.deepEqual(summary.audit?.iterations, { used: 2, max: 2 });
    assert.equal(h.callsOf('audit').filter((c) => c.turn === 0).length, 3);
    assert.match(
      h.shop.read(summary.audit!.reportPath!),
      /\*\*Target not reached: iteration cap reached\*\* · score 91\/100/,
    );
    assert.deepEqual(
      summary.audit?.findings.open.map((f) => f.id),
      [STORE_P2.id],
    );
  } finally {
    await h.close();
  }
});

test('audit: the budget stops the loop (stopped, resumable) with the partial report; no call starts past the cap', async () => {
  // Every audit costs $0.20 (100k input tokens at $2 per million); fixes cost a fraction of a cent.
  const h = await auditWorld({
    audit: auditor(RISING_SCORES, RISING_FINDINGS, { submit: { usage: { input_tokens: 100_000 } } }),
    backend: fixer(),
  });
  try {
    const summary = await engine.runAudit(request({ maxBudgetUsd: 0.5 }), h.options({ templatesDir: TEMPLATES }));
    assert.equal(summary.status, 'stopped');
    assert.match(summary.error ?? '', /budget of \$0\.5000 reached/);
    assert.equal(summary.audit?.reason, 'budget');
    assert.equal(summary.audit?.targetReached, false);
    assert.deepEqual(summary.audit?.scores, [75, 82, 91]);
    assert.ok(summary.costUsd >= 0.5);
    const journal = journalOf(h.shop, summary.runId);
    const exceeded = journal.findIndex((e) => e.type === 'budget.exceeded');
    assert.ok(exceeded > 0);
    assert.ok(
      !journal.slice(exceeded).some((e) => e.type === 'llm.usage' || e.type === 'agent.started'),
      'nothing starts once the budget is spent',
    );
    assert.match(summary.report ?? '', /\*\*Target not reached: budget reached\*\* · score 91\/100/);
    assert.match(summary.report ?? '', /## Pipeline stopped: budget reached/);
    assert.match(h.shop.read(summary.audit!.reportPath!), /\| Cost \| \$0\.6\d\/\$0\.50/);

    // Resumed with a larger budget: the finished iterations are not audited again.
    const audits = h.callsOf('audit').filter((c) => c.turn === 0).length;
    const resumed = await engine.resumeRun(
      undefined,
      h.options({ templatesDir: TEMPLATES, overrides: { limits: { maxBudgetUsd: 5 } } }),
    );
    assert.equal(resumed.runId, summary.runId);
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.deepEqual(resumed.audit?.scores, RISING_SCORES);
    assert.equal(resumed.audit?.targetReached, true);
    assert.equal(resumed.audit?.budgetUsd, 5);
    assert.equal(h.callsOf('audit').filter((c) => c.turn === 0).length, audits + 1);
  } finally {
    await h.close();
  }
});

test('audit: two iterations without improvement end the loop; after the first, auditor and fixers are told the strategy did not work', async () => {
  const stuck = [[INDEX_P0], [INDEX_P0], [INDEX_P0]];
  const h = await auditWorld({ audit: auditor([75, 75, 74], stuck), backend: fixer() });
  try {
    const summary = await engine.runAudit(request(), h.options({ templatesDir: TEMPLATES }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.audit?.scores, [75, 75, 74]);
    assert.equal(summary.audit?.reason, 'no-improvement');
    assert.equal(summary.audit?.targetReached, false);
    const audits = h.callsOf('audit').filter((c) => c.turn === 0);
    const fixes = h.callsOf('backend').filter((c) => c.turn === 0);
    const told = /THE LAST STRATEGY DID NOT WORK[\s\S]*75 → 75/;
    assert.equal(audits.length, 3);
    assert.doesNotMatch(audits[1]!.task, /LAST STRATEGY/);
    assert.match(audits[2]!.task, told);
    assert.deepEqual(
      fixes.map((c) => told.test(c.task)),
      [false, true],
    );
    assert.match(h.shop.read(summary.audit!.reportPath!), /Target not reached: two iterations without improvement/);
  } finally {
    await h.close();
  }
});

test('audit: refused confirmations (new module, core file) skip that change; both are journaled and the loop goes on', async () => {
  const h = await auditWorld(
    {
      audit: auditor([75, 100], [[INDEX_P0], []]),
      backend: ({ turn }) => {
        if (turn === 0)
          return reply('write_file', {
            path: 'server/middleware/limit.js',
            content: "'use strict';\nmodule.exports = {};\n",
          });
        if (turn === 1)
          return reply('edit_file', {
            path: 'server/index.js',
            old_text: "'use strict';",
            new_text: "'use strict';\n// guarded",
          });
        return reply('submit_result', { status: 'done', summary: 'The user refused both changes; BE-1 left open.' });
      },
    },
    auditConfig('  core: ["server/index.js"]\n'),
  );
  h.host.confirmAnswer = false;
  try {
    const summary = await engine.runAudit(request(), h.options({ templatesDir: TEMPLATES, assumeYes: false }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(
      h.host.confirmations.map((c) => [c.kind, c.paths]),
      [
        ['new-module', ['server/middleware/']],
        ['core-file', ['server/index.js']],
      ],
    );
    const journal = journalOf(h.shop, summary.runId);
    assert.deepEqual(
      journal.filter((e) => e.type === 'confirmation').map((e) => [e.kind, e.answer]),
      [
        ['new-module', false],
        ['core-file', false],
      ],
    );
    const refusals = h
      .callsOf('backend')
      .slice(1, 3)
      .map((c) => lastToolResults(c.req)[0]);
    assert.ok(refusals.every((r) => r?.is_error && /not confirmed by the user/.test(r.text)));
    assert.ok(!existsSync(join(h.shop.dir, 'server/middleware')));
    assert.doesNotMatch(h.shop.read('server/index.js'), /guarded/);
    assert.deepEqual(summary.audit?.scores, [75, 100]);
    assert.match(
      h.shop.read(summary.audit!.reportPath!),
      /## Confirmations asked[\s\S]*create a new module or folder: server\/middleware\/\. Allow it\? → \*\*no\*\*/,
    );
  } finally {
    await h.close();
  }
});

test('audit: a finding citing a file outside the target or a line past its end goes back to the auditor, who corrects it', async () => {
  const outside = { ...INDEX_P0, id: 'X-1', file: 'web/src/api.js', line: 3 };
  const pastEnd = { ...STORE_P2, id: 'X-2', line: 999 };
  const h = await auditWorld({
    audit: ({ turn }) => {
      if (turn === 0) return submitAudit(80, [outside, pastEnd, STORE_P2]);
      return submitAudit(
        100,
        [STORE_P2].map((f) => ({ ...f, severity: 'P3' as const })),
      );
    },
    backend: fixer(),
  });
  try {
    const summary = await engine.runAudit(request({ maxIterations: 1 }), h.options({ templatesDir: TEMPLATES }));
    assert.equal(summary.status, 'completed', summary.error);
    const refused = lastToolResults(h.callsOf('audit')[1]!.req)[0]!;
    assert.equal(refused.is_error, true);
    assert.match(refused.text, /findings\[0\]\.file "web\/src\/api\.js" is outside the audit target "server"/);
    assert.match(refused.text, /findings\[1\]\.line 999 is past the end of server\/store\.js \(45 lines\)/);
    assert.doesNotMatch(refused.text, /findings\[2\]/);
    const scored = journalOf(h.shop, summary.runId).filter((e) => e.type === 'audit.scored');
    assert.deepEqual(
      scored.map((e) => e.score),
      [100],
    );
    assert.deepEqual(summary.audit?.scores, [100]);
    assert.equal(summary.audit?.reason, 'target');
  } finally {
    await h.close();
  }
});

test('audit: a target outside the workspace or an unknown dimension is refused before any model call', async () => {
  const h = await auditWorld({ audit: auditor(), backend: fixer() });
  try {
    await assert.rejects(
      engine.runAudit({ target: '../elsewhere' }, h.options({ templatesDir: TEMPLATES })),
      /cannot audit "\.\.\/elsewhere"/,
    );
    await assert.rejects(
      engine.runAudit({ target: 'server', dimension: 'performance' }, h.options({ templatesDir: TEMPLATES })),
      /no template for the dimension "performance": write \.claude\/audit\/performance\.md, or choose one of: architecture, backend, compliance, frontend, security, tests/,
    );
    await assert.rejects(
      engine.runAudit({ target: 'nowhere' }, h.options({ templatesDir: TEMPLATES })),
      /no such file or folder/,
    );
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

function reply(name: string, input: unknown) {
  return { kind: 'reply' as const, content: [{ type: 'tool_use' as const, name, input }] };
}
