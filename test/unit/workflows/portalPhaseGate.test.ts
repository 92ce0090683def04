import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { PhaseGateError } from '../../../src/core/pipeline/workflow/phaseGateRecord';
import { sliceWorld, withSections, writesDocuments } from '../../support/workflows/fastapiSlice';
import { sliceAgents } from '../../support/workflows/sliceRoles';

const refusal = (reason: PhaseGateError['reason'], message: RegExp) => (error: unknown) =>
  error instanceof PhaseGateError && error.reason === reason && message.test(error.message);

test("portal decision on a phase gate: a run saved at slice's UAT gate is listed with its documents; a stale or wrong-phase decision is refused; requested changes re-run only E; an approval lets `resume` finish without asking", async () => {
  const qa = writesDocuments((_path, call) =>
    withSections(call.task.includes('CHANGES REQUESTED') ? 'QA report v2 (200 rps)' : 'QA report', [
      'Integration',
      'Concurrency',
      'Stress',
      'UAT',
    ]),
  );
  const world = await sliceWorld(sliceAgents({ qa }));
  try {
    // The spec approved; E saved for later (as the CLI without --approve does).
    world.host.decisions = [{ action: 'approve' }, { action: 'save' }];
    const saved = await engine.runFeature('Agents add a note to a reservation', world.options({ workflow: 'slice' }));
    assert.equal(saved.status, 'spec-saved', saved.error);
    const runId = saved.runId;
    const [gate, ...others] = await engine.phaseGatesWaiting(world.dir);
    assert.equal(others.length, 0);
    assert.ok(gate);
    const specId = gate.specId;
    assert.deepEqual(
      [gate.runId, gate.phase, gate.state, gate.workflow, gate.decision],
      [runId, 'E', 'saved', 'slice', undefined],
    );
    assert.deepEqual(
      gate.documents.map((d) => d.path),
      [`spec/active/${specId}/qa-report.md`],
    );
    assert.match(gate.documents[0]!.markdown, /^# QA report\n/);
    const asked = world
      .journal(runId)
      .filter((e) => e.type === 'phase.awaiting' && e.phase === 'E')
      .at(-1)!.seq;
    assert.equal(gate.asked, asked);

    const base = { runId, by: 'sam' };
    await assert.rejects(
      engine.decidePhaseGateAs(world.dir, { ...base, phase: 'F', asked, action: 'approve' }),
      refusal('stale', /waits at phase E's gate, not F's: reload the page/),
    );
    await assert.rejects(
      engine.decidePhaseGateAs(world.dir, { ...base, phase: 'E', asked: asked - 1, action: 'approve' }),
      refusal('stale', /asked again since/),
    );
    await assert.rejects(
      engine.decidePhaseGateAs(world.dir, { ...base, phase: 'E', asked, action: 'changes', feedback: '  ' }),
      refusal('invalid', /say what to change/),
    );
    await assert.rejects(
      engine.decidePhaseGateAs(world.dir, { ...base, runId: '../etc', phase: 'E', asked, action: 'approve' }),
      refusal('missing', /run \.\.\/etc/),
    );

    // Changes requested in the portal: journaled with who; the run applies them when it continues.
    await engine.decidePhaseGateAs(world.dir, {
      ...base,
      phase: 'E',
      asked,
      action: 'changes',
      feedback: 'Give the stress figure in requests per second.',
    });
    assert.deepEqual(
      (await engine.phaseGatesWaiting(world.dir))[0]?.decision && {
        ...(await engine.phaseGatesWaiting(world.dir))[0]!.decision,
        at: 'x',
      },
      { action: 'changes', by: 'sam', at: 'x', feedback: 'Give the stress figure in requests per second.' },
    );
    const log = readFileSync(join(world.dir, '.claude/runs/spec-decisions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      { ...log.at(-1), at: 'x' },
      {
        specId,
        runId,
        phase: 'E',
        asked,
        action: 'changes',
        by: 'sam',
        at: 'x',
        feedback: 'Give the stress figure in requests per second.',
      },
    );

    world.host.decisions = [{ action: 'save' }];
    const again = await engine.resumeRun(runId, world.options());
    assert.equal(again.status, 'spec-saved', again.error);
    const qaTasks = world
      .callsOf('qa')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(qaTasks.length, 2);
    assert.match(qaTasks[1]!, /## CHANGES REQUESTED\n[^\n]*\nGive the stress figure in requests per second\./);
    // Only E ran again: the phases before it (whose inputs did not change) did not.
    const afterChanges = world.journal(runId);
    const starts = (phase: string) =>
      afterChanges.filter((e) => e.type === 'phase.started' && e.phase === phase).length;
    assert.deepEqual(['A', 'B', 'C', 'D', 'E'].map(starts), [1, 1, 1, 1, 2]);
    assert.equal(world.callsOf('architect').filter((c) => c.turn === 0).length, 1);

    // The old question is stale now: the gate asked again with the rewritten report.
    const second = (await engine.phaseGatesWaiting(world.dir))[0]!;
    assert.ok(second.asked > asked);
    assert.match(second.documents[0]!.markdown, /^# QA report v2 \(200 rps\)/);
    assert.equal(second.decision, undefined);
    await assert.rejects(
      engine.decidePhaseGateAs(world.dir, { ...base, phase: 'E', asked, action: 'approve' }),
      refusal('stale', /asked again since/),
    );
    await engine.decidePhaseGateAs(world.dir, { ...base, phase: 'E', asked: second.asked, action: 'approve' });

    // `resume` takes the portal's approval: the host is not asked, the run goes on to the end.
    const asks = world.host.specRequests.length;
    const completed = await engine.resumeRun(runId, world.options());
    assert.equal(completed.status, 'completed', completed.error);
    assert.equal(world.host.specRequests.length, asks, 'the gate did not ask again');
    const events = world.journal(runId);
    const gateWords = events
      .filter(
        (e) => e.phase === 'E' && /^phase\.(awaiting|saved|decided|approved|changes-requested|closed)$/.test(e.type),
      )
      .map((e) => (e.type === 'phase.decided' ? `decided:${String(e.action)}:${String(e.by)}` : e.type));
    assert.deepEqual(gateWords, [
      'phase.awaiting',
      'phase.saved',
      'decided:changes:sam',
      'phase.changes-requested',
      'phase.awaiting',
      'phase.saved',
      'decided:approve:sam',
      'phase.approved',
      'phase.closed',
    ]);
    assert.deepEqual(
      events
        .filter((e) => e.type === 'phase.closed')
        .map((e) => e.phase)
        .slice(-4),
      ['E', 'F', 'G', 'COMPLETE'],
    );
    assert.deepEqual(await engine.phaseGatesWaiting(world.dir), []);
    await assert.rejects(
      engine.decidePhaseGateAs(world.dir, { ...base, phase: 'E', asked: second.asked, action: 'approve' }),
      refusal('missing', /not waiting at a phase's gate/),
    );
  } finally {
    await world.close();
  }
});
