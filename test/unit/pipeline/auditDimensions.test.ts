import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { reply, block } from '../../support/messagesApiServer';
import { STORE_P2, submitAudit } from '../../support/auditScript';
import type { AgentCall } from '../../support/agentCalls';
import { harness } from '../../support/engine/harness';

const TEMPLATES = resolve(__dirname, '../../../.claude');

/** One auditor per dimension, told apart by the dimension its conversation audits; each reads a file first. */
function auditorByDimension(scores: Record<string, number[]>) {
  const seen: Record<string, number> = {};
  return (call: AgentCall) => {
    const dimension = Object.keys(scores).find((name) =>
      JSON.stringify(call.req).includes(`along the ${name} dimension`),
    )!;
    if (!call.continued && call.turn === 0)
      return reply.turn(['Reading first.', block.toolUse('read_file', { path: 'server/index.js' })]);
    if (call.continued && call.turn === 0)
      return reply.turn(['Reading again.', block.toolUse('read_file', { path: 'server/store.js' })]);
    const i = Math.min(seen[dimension] ?? 0, scores[dimension]!.length - 1);
    seen[dimension] = (seen[dimension] ?? 0) + 1;
    return submitAudit(
      scores[dimension]![i]!,
      dimension === 'security' ? [{ ...STORE_P2, id: 'S-1', severity: 'P3' }] : [],
    );
  };
}

test('audit --dimension backend,security,tests: one audit to one target; the score is the lowest dimension; the report shows each; below the target it does not reach it', async () => {
  const h = await harness({ audit: auditorByDimension({ backend: [92, 93], security: [70, 72], tests: [88, 90] }) });
  try {
    const summary = await engine.runAudit(
      { target: 'server', dimension: 'backend, security,tests', targetScore: 85, maxIterations: 1 },
      h.options({ templatesDir: TEMPLATES }),
    );
    assert.equal(summary.status, 'completed', summary.error);
    const audit = summary.audit!;
    assert.equal(audit.dimension, 'backend,security,tests');
    assert.deepEqual(audit.scores, [70, 72]);
    assert.deepEqual(audit.dimensionScores, { backend: [92, 93], security: [70, 72], tests: [88, 90] });
    assert.equal(audit.targetReached, false);
    assert.equal(audit.reason, 'max-iterations');
    assert.deepEqual(
      audit.findings.open.map((f) => f.id),
      ['security-S-1'],
      'findings carry their dimension',
    );
    assert.equal(
      h.callsOf('audit').filter((c) => c.turn === 0).length,
      6,
      'each dimension audited at the baseline and after the iteration',
    );
    const report = readFileSync(join(h.shop.dir, audit.reportPath!), 'utf8');
    assert.match(report, /# Audit report — server \(backend,security,tests\)/);
    assert.match(report, /\| Audit \| backend \| security \| tests \|/);
    assert.match(report, /\| baseline \| 92 ✅ \| 70 \| 88 ✅ \|/);
    assert.match(report, /\| after iteration 1 \| 93 ✅ \| 72 \| 90 ✅ \|/);

    const reached = await engine.runAudit(
      { target: 'server', dimension: 'backend,tests', targetScore: 85 },
      h.options({ templatesDir: TEMPLATES }),
    );
    assert.equal(reached.audit!.targetReached, true);
    assert.deepEqual(reached.audit!.scores, [90], 'the lower of backend 93 and tests 90');
  } finally {
    await h.close();
  }
});

test('audit: an unknown dimension among several names it before any model call', async () => {
  const h = await harness({});
  try {
    const summary = await engine
      .runAudit({ target: 'server', dimension: 'backend,nope' }, h.options({ templatesDir: TEMPLATES }))
      .catch((error: Error) => error);
    assert.match(
      String(summary instanceof Error ? summary.message : summary.error),
      /no template for the dimension "nope"/,
    );
    assert.equal(h.callsOf('audit').length, 0);
  } finally {
    await h.close();
  }
});
