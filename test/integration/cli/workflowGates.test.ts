import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specAnswer, type AgentScript } from '../../support/engine/agentScript';
import {
  done,
  sliceWorld,
  withSections,
  writesDocuments,
  NOTES_SPEC,
  FRONT_PHASES,
  ADR_PHASE,
} from '../../support/workflows/fastapiSlice';
import { buildCli, jsonOf, journalTypes, runCli, startCli } from '../../support/cli/cliKit';

buildCli();

const FLOW = `${FRONT_PHASES}${ADR_PHASE}  - name: UAT
    role: { agent: qa, access: write }
    inputs: [SPEC.spec, ADR.adr]
    outputs: [{ document: uat, path: "{spec}/uat.md", sections: [UAT] }]
    gate: { human: [pm] }
`;

test('cli: a workflow run killed (SIGKILL) in a role phase resumes there without redoing a closed phase; its UAT gate waits, `runs` names it, `approve` signs it off', async () => {
  let qaStarted!: () => void;
  const qaWaiting = new Promise<void>((resolve) => (qaStarted = resolve));
  const qa: AgentScript = (call) => {
    if (call.attempt === 1) {
      qaStarted();
      return { ...done('never read'), beforeMs: 60_000 };
    }
    return writesDocuments(() => withSections('UAT report', ['UAT']))(call);
  };
  const world = await sliceWorld(
    {
      spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_SPEC),
      architect: writesDocuments(() => withSections('ADR', ['Decision'])),
      qa,
    },
    { '.claude/workflows/kflow.yaml': FLOW },
  );
  const at = { cwd: world.dir, baseURL: world.api.url };
  try {
    const first = startCli(
      ['feature', 'Agents add a note to a reservation', '--workflow', 'kflow', '--approve', '--json'],
      at,
    );
    await qaWaiting;
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');
    const runId = (await runCli(['runs', '--json'], at)).stdout.match(/"runId":"([^"]+)"/)?.[1];
    assert.ok(runId, 'the killed run is listed');
    const beforeResume = journalTypes(world.dir, runId);
    assert.ok(
      !beforeResume.some((e) => e.type === 'run.completed' || e.type === 'run.stopped'),
      'killed: no terminal event',
    );
    assert.deepEqual(
      beforeResume.filter((e) => e.type === 'phase.closed').map((e) => e.phase),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'ADR'],
    );

    // Resumed without --approve: the role writes, then its gate waits (the spec's approval is not the UAT's).
    const waiting = await runCli(['resume', runId, '--json'], at);
    assert.equal(waiting.code, 0, waiting.stderr);
    assert.equal(jsonOf(waiting).status, 'spec-saved');
    const specId = String(jsonOf(waiting).specPath).split('/')[2]!;
    assert.match(
      waiting.stderr,
      new RegExp(
        `phase UAT waits at its gate: spec/active/${specId}/uat\\.md \\(approve with: orchestrator approve ${specId}\\)`,
      ),
    );
    const runs = await runCli(['runs'], at);
    assert.match(runs.stdout, new RegExp(`${runId}.*spec-saved \\(at phase UAT's gate\\)`));

    const approved = await runCli(['approve', specId, '--json'], at);
    assert.equal(approved.code, 0, approved.stderr);
    assert.deepEqual([jsonOf(approved).status, jsonOf(approved).runId], ['completed', runId]);
    const events = journalTypes(world.dir, runId);
    assert.deepEqual(
      events.filter((e) => e.type === 'phase.closed').map((e) => e.phase),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'ADR', 'UAT'],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'phase.started' && e.phase === 'ADR').length,
      1,
      'ADR closed before the kill: not run again',
    );
    assert.equal(world.callsOf('architect').filter((c) => c.turn === 0).length, 1);
    assert.equal(
      world.callsOf('qa').filter((c) => c.turn === 0).length,
      2,
      'the killed attempt, then the one that wrote',
    );
    assert.deepEqual(
      events.filter((e) => ['phase.saved', 'phase.approved'].includes(e.type)).map((e) => e.type),
      ['phase.saved', 'phase.approved'],
    );
  } finally {
    await world.close();
  }
});
