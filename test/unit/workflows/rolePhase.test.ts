import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { block, reply } from '../../support/messagesApiServer';
import { say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import {
  documentsAsked,
  done,
  FASTAPI_FILES,
  sliceWorld,
  withSections,
  writesDocuments,
  NOTES_SPEC,
  FRONT_PHASES,
} from '../../support/workflows/fastapiSlice';

const PLAN = `${FRONT_PHASES}  - name: PROPOSAL
    role: { agent: engineer, access: write }
    reviewer: cto
    maxRounds: 2
    inputs: [SPEC.spec]
    outputs: [{ document: proposal, path: "{spec}/proposal.md", sections: [Squads] }]
    gate: { check: [sections] }
  - name: BACKLOG
    role: { agent: pm, access: write }
    fanOut: squads
    inputs: [PROPOSAL.proposal]
    outputs: [{ document: backlog, path: "{spec}/backlog-{squad}.md", sections: [Tasks] }]
    gate: { check: [sections] }
`;

test("role phases: rounds run out and the run stops with the reviewer's reasons; after an edit, resume has it judged again; a role writes only its documents; a run stopped between squads plans only the squad left", async () => {
  const controller = new AbortController();
  let ctoAccepts = false;
  const cto: AgentScript = (call) =>
    ctoAccepts
      ? say.approve()
      : reply.toolUse('submit_review', {
          verdict: 'rejected',
          issues: [
            {
              file: 'proposal.md',
              severity: 'major',
              problem: `Round ${call.task.match(/Judge round (\d+)/)?.[1]}: no owner for the migration`,
              fix: 'Give the migration to the data squad',
            },
          ],
        });
  const pm: AgentScript = (call) => {
    const [backlog] = documentsAsked(call);
    if (backlog!.endsWith('backlog-api.md') && call.attempt === 2 && call.turn === 0) {
      controller.abort();
      return { ...done('never read'), beforeMs: 30_000 };
    }
    // Its first turn also tries to change the app, which is not its document: refused.
    if (call.turn === 0)
      return reply.turn([
        block.toolUse('write_file', { path: 'app/main.py', content: '# the PM was here\n' }),
        block.toolUse('write_file', { path: backlog!, content: withSections('Backlog', ['Tasks']) }),
      ]);
    return done('Planned.');
  };
  const world = await sliceWorld(
    {
      spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_SPEC),
      engineer: writesDocuments(() => withSections('Proposal', ['Squads'])),
      cto,
      pm,
    },
    { '.claude/workflows/plan.yaml': PLAN },
  );
  try {
    const stopped = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'plan', autoApprove: true }),
    );
    assert.equal(stopped.status, 'stopped');
    assert.match(
      stopped.report ?? '',
      /^## Pipeline stopped: the cto did not accept phase PROPOSAL in 2 rounds \(maxRounds\)\n- \[major\] proposal\.md: Round 2: no owner for the migration — Give the migration to the data squad\n/,
    );
    const specId = stopped.specPath!.split('/')[2]!;
    const folder = `spec/active/${specId}`;

    // The human edits the proposal; the CTO now accepts it without the Engineer writing again.
    world.write(`${folder}/proposal.md`, withSections('Proposal (edited)', ['Squads']));
    ctoAccepts = true;
    const cancelled = await engine.resumeRun(
      stopped.runId,
      world.options({ autoApprove: true, signal: controller.signal }),
    );
    assert.equal(cancelled.status, 'cancelled', cancelled.error);
    const completed = await engine.resumeRun(stopped.runId, world.options({ autoApprove: true }));
    assert.equal(completed.status, 'completed', completed.error);

    const events = world.journal(stopped.runId);
    const responses = events.filter((e) => e.type === 'engineer.cto.response').map((e) => [e.round, e.accepted]);
    assert.deepEqual(responses, [
      [1, false],
      [2, false],
      [3, true],
    ]);
    assert.equal(
      world.callsOf('engineer').filter((c) => c.turn === 0).length,
      2,
      "rounds 1 and 2 only: round 3 judged the human's edit",
    );
    assert.match(world.read(`${folder}/proposal.md`), /^# Proposal \(edited\)/);

    assert.deepEqual(
      events.filter((e) => e.type === 'module.planned').map((e) => e.squad),
      ['data', 'api'],
    );
    const pmDocuments = world
      .callsOf('pm')
      .filter((c) => c.turn === 0)
      .map((c) => documentsAsked(c)[0]);
    assert.deepEqual(
      pmDocuments,
      [`${folder}/backlog-data.md`, `${folder}/backlog-api.md`, `${folder}/backlog-api.md`],
      'the data squad was not planned again',
    );
    assert.equal(world.read('app/main.py'), FASTAPI_FILES['app/main.py']);
    assert.ok(
      events.filter(
        (e) => e.type === 'tool.called' && e.agent === 'pm' && e.tool === 'write_file' && e.isError === true,
      ).length >= 1,
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'phase.closed').map((e) => e.phase),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'PROPOSAL', 'BACKLOG'],
    );
  } finally {
    await world.close();
  }
});

const RETRIED = `${FRONT_PHASES}  - name: REPORT
    role: { agent: documenter, access: write }
    retries: 1
    budgetShare: 0.5
    inputs: [SPEC.spec]
    outputs: [{ document: report, path: "{spec}/report.md", sections: [Summary, Traceability] }]
    gate: { check: [sections] }
`;

test('role phases: a gate that still fails after its retries stops the run with the report; a human fix and resume close it without the role', async () => {
  const world = await sliceWorld(
    {
      spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_SPEC),
      documenter: writesDocuments(() => withSections('Report', ['Summary'])),
    },
    { '.claude/workflows/retried.yaml': RETRIED },
  );
  try {
    const stopped = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'retried', autoApprove: true }),
    );
    assert.equal(stopped.status, 'stopped');
    const folder = `spec/active/${stopped.specPath!.split('/')[2]!}`;
    assert.match(
      stopped.report ?? '',
      new RegExp(
        `^## Pipeline stopped: the gate of phase REPORT did not pass\\n- ${folder}/report\\.md:1: missing section "Traceability"\\n`,
      ),
    );
    const tasks = world
      .callsOf('documenter')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(tasks.length, 2, 'the first attempt and its one retry');
    assert.match(
      tasks[1]!,
      /^## GATE FAILED[^\n]*\n[^\n]*\n- spec\/active\/[^:]+\/report\.md:1: missing section "Traceability"/,
    );

    world.write(`${folder}/report.md`, withSections('Report', ['Summary', 'Traceability']));
    const completed = await engine.resumeRun(stopped.runId, world.options({ autoApprove: true }));
    assert.equal(completed.status, 'completed', completed.error);
    assert.equal(world.callsOf('documenter').filter((c) => c.turn === 0).length, 2, 'the role did not run again');
    const events = world.journal(stopped.runId);
    assert.deepEqual(
      events.filter((e) => e.type === 'phase.retry').map((e) => [e.attempt, e.max]),
      [[1, 1]],
    );
    assert.deepEqual(events.filter((e) => e.type === 'phase.closed').at(-1), {
      ...events.filter((e) => e.type === 'phase.closed').at(-1),
      phase: 'REPORT',
      documents: [`${folder}/report.md`],
    });
  } finally {
    await world.close();
  }
});

const SIGNED = `${FRONT_PHASES}  - name: SIGNOFF
    role: { agent: qa, access: write }
    inputs: [SPEC.spec]
    outputs: [{ document: uat, path: "{spec}/uat.md", sections: [UAT] }]
    gate: { human: [pm] }
`;

test("role phases: the run's own approval (CLI approve) passes the spec gate, not a later sign-off; resume asks that gate again", async () => {
  const world = await sliceWorld(
    {
      spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_SPEC),
      qa: writesDocuments(() => withSections('UAT report', ['UAT'])),
    },
    { '.claude/workflows/signed.yaml': SIGNED },
  );
  try {
    const saved = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'signed', autoApprove: true }),
    );
    assert.equal(saved.status, 'spec-saved', saved.error);
    assert.deepEqual(
      world.host.specRequests.map((r) => r.phase),
      ['SIGNOFF'],
      'only the sign-off asked the host',
    );
    world.host.decisions = [{ action: 'approve' }];
    const completed = await engine.resumeRun(saved.runId, world.options({ autoApprove: true }));
    assert.equal(completed.status, 'completed', completed.error);
    assert.deepEqual(
      world.host.specRequests.map((r) => r.phase),
      ['SIGNOFF', 'SIGNOFF'],
    );
    assert.equal(world.callsOf('qa').filter((c) => c.turn === 0).length, 1, 'the role did not write again');
    const events = world.journal(saved.runId);
    assert.deepEqual(
      events.filter((e) => e.type.startsWith('phase.') && e.phase === 'SIGNOFF').map((e) => e.type),
      [
        'phase.started',
        'phase.completed',
        'phase.awaiting',
        'phase.saved',
        'phase.awaiting',
        'phase.approved',
        'phase.closed',
      ],
    );
  } finally {
    await world.close();
  }
});
