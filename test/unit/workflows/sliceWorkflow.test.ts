import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { specAnswer, type AgentScript } from '../../support/engine/agentScript';
import {
  done,
  sliceWorld,
  withSections,
  writesDocuments,
  NOTES_CONTRACT_SPEC,
} from '../../support/workflows/fastapiSlice';
import {
  ADR,
  DIAGRAMS,
  dictionary,
  NOTES_MIGRATION,
  NOTES_ROUTE,
  NOTES_TEST,
} from '../../support/workflows/sliceRoles';

test('slice: A–G on a FastAPI service — documents written by each role, the dictionary gate fails then passes, the UAT gate asks for changes, waits, is approved; a run stopped mid-workflow resumes without redoing a closed phase', async () => {
  const controller = new AbortController();
  const architect = writesDocuments((path) => (path.endsWith('adr.md') ? ADR : DIAGRAMS));
  const dataSecurity: AgentScript = (call) => {
    // The first attempt is cut short: the run is stopped while the role waits for the model.
    if (call.attempt === 1) {
      controller.abort();
      return { ...done('never read'), beforeMs: 30_000 };
    }
    return writesDocuments(() => withSections('Data and security', ['Sanitization', 'Performance', 'Findings']))(call);
  };
  const qa = writesDocuments((_path, call) =>
    withSections(call.task.includes('CHANGES REQUESTED') ? 'QA report v2 (stress at 200 rps)' : 'QA report', [
      'Integration',
      'Concurrency',
      'Stress',
      'UAT',
    ]),
  );
  const documenter = writesDocuments((path, call) =>
    path === 'docs/data/dictionary.md'
      ? dictionary(call.task.includes('GATE FAILED'))
      : withSections('Slice report', ['Summary', 'Traceability', 'Documentation']),
  );
  const pm = writesDocuments(() => withSections('Retrospective', ['Objectives', 'Business metrics', 'Lessons']));
  const world = await sliceWorld({
    spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_CONTRACT_SPEC),
    database: ({ turn }) =>
      turn === 0
        ? reply.toolUse('write_file', { path: 'migrations/002_reservation_notes.sql', content: NOTES_MIGRATION })
        : done(),
    // The route and its test (F's gate wants a test for every requirement: this one cites REQ-1).
    backend: ({ turn }) =>
      turn === 0
        ? reply.toolUse('write_file', { path: 'app/notes.py', content: NOTES_ROUTE })
        : turn === 1
          ? reply.toolUse('write_file', { path: 'app/test_notes.py', content: NOTES_TEST })
          : done(),
    architect,
    'data-security': dataSecurity,
    qa,
    documenter,
    pm,
  });
  try {
    // The PRD (spec) is approved; at E the PM first asks for changes, then saves for later.
    world.host.decisions = [
      { action: 'approve' },
      { action: 'changes', feedback: 'Give the stress figure in requests per second.' },
      { action: 'save' },
    ];
    const stopped = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'slice', signal: controller.signal }),
    );
    assert.equal(stopped.status, 'cancelled', stopped.error);
    const runId = stopped.runId;
    const beforeResume = world.journal(runId);
    assert.deepEqual(
      beforeResume.filter((e) => e.type === 'phase.closed').map((e) => e.phase),
      ['SYNC', 'UNDERSTAND', 'A', 'B', 'C'],
    );

    const saved = await engine.resumeRun(runId, world.options());
    assert.equal(saved.status, 'spec-saved', saved.error);
    const specId = saved.specPath!.split('/')[2]!;
    assert.deepEqual((await engine.listRuns(world.dir)).find((run) => run.runId === runId)?.gate, 'E');
    // The gate asked with the phase and its documents; the changes went back to the QA role.
    const [specAsk, firstAsk, secondAsk] = world.host.specRequests;
    assert.equal(specAsk?.phase, undefined);
    assert.deepEqual(
      [firstAsk?.phase, firstAsk?.documents, firstAsk?.specId],
      ['E', [`spec/active/${specId}/qa-report.md`], specId],
    );
    assert.match(
      firstAsk!.markdown,
      new RegExp(`^<!-- document: spec/active/${specId}/qa-report\\.md -->\\n# QA report\\n`),
    );
    assert.match(secondAsk!.markdown, /# QA report v2 \(stress at 200 rps\)/);
    const qaTasks = world
      .callsOf('qa')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(qaTasks.length, 2);
    assert.match(qaTasks[1]!, /## CHANGES REQUESTED\n[^\n]*\nGive the stress figure in requests per second\./);

    const completed = await engine.approveSpec(specId, world.options());
    assert.equal(completed.status, 'completed', completed.error);
    assert.equal(completed.runId, runId, 'approve continues the run saved at the gate');
    const events = world.journal(runId);
    const closed = events.filter((e) => e.type === 'phase.closed');
    assert.deepEqual(
      closed.map((e) => e.phase),
      ['SYNC', 'UNDERSTAND', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'COMPLETE'],
    );
    const folder = `spec/active/${specId}`;
    assert.deepEqual(Object.fromEntries(closed.map((e) => [e.phase, e.documents])), {
      SYNC: [],
      UNDERSTAND: [],
      A: [`${folder}/spec.md`],
      B: [`${folder}/adr.md`, `${folder}/diagrams.md`],
      C: [],
      D: [`${folder}/data-security.md`],
      E: [`${folder}/qa-report.md`],
      F: ['docs/data/dictionary.md', `${folder}/slice-report.md`],
      G: [`${folder}/retrospective.md`],
      // COMPLETE moved the spec's folder with its documents to spec/completed/.
      COMPLETE: [],
    });
    for (const name of [
      'adr.md',
      'diagrams.md',
      'data-security.md',
      'qa-report.md',
      'slice-report.md',
      'retrospective.md',
      'trace.md',
    ]) {
      assert.ok(world.exists(`spec/completed/${specId}/${name}`), `${name} beside the completed spec`);
    }
    assert.equal(world.read(`spec/completed/${specId}/adr.md`), ADR);

    // The gate's journal: changes requested, saved, approved by `approve`.
    const gateEvents = events
      .filter(
        (e) => e.type.startsWith('phase.') && e.phase === 'E' && !['phase.started', 'phase.completed'].includes(e.type),
      )
      .map((e) => e.type);
    // Each question is journaled (`phase.awaiting`: the portal sees a run waiting live); `approve` answers without asking.
    assert.deepEqual(gateEvents, [
      'phase.awaiting',
      'phase.changes-requested',
      'phase.awaiting',
      'phase.saved',
      'phase.approved',
      'phase.closed',
    ]);
    // … and in the CloudEvents stream, with the decision, the feedback and the documents (linked where they are now).
    const cloud = (await engine.runEvents(world.dir, runId, 'cloudevents')).map(
      (line) =>
        JSON.parse(line) as {
          type: string;
          subject?: string;
          data: Record<string, unknown> & { links: { documents?: string[] } };
        },
    );
    const decided = cloud
      .filter((e) => e.subject === 'E' && /^phase\.(approved|saved|changes-requested)$/.test(e.type))
      .map((e) => {
        const { seq: _s, links, request_id: _r, run_id: _i, journal_type: _j, ...data } = e.data;
        return [e.type, data, links.documents];
      });
    assert.deepEqual(decided, [
      [
        'phase.changes-requested',
        { phase: 'E', decision: 'changes-requested', feedback: 'Give the stress figure in requests per second.' },
        undefined,
      ],
      [
        'phase.saved',
        { phase: 'E', decision: 'saved', documents: [`${folder}/qa-report.md`] },
        [`spec/completed/${specId}/qa-report.md`],
      ],
      ['phase.approved', { phase: 'E', decision: 'approved' }, undefined],
    ]);
    const journalRetry = events.find((e) => e.type === 'phase.retry' && e.phase === 'F')!;
    const cloudRetry = cloud.find((e) => e.type === 'phase.retry');
    assert.deepEqual(
      [cloudRetry?.subject, cloudRetry?.data.attempt, cloudRetry?.data.max, cloudRetry?.data.report],
      ['F', 1, journalRetry.max, journalRetry.report],
    );
    assert.deepEqual(cloud.find((e) => e.type === 'phase.closed' && e.subject === 'B')?.data.links.documents, [
      `spec/completed/${specId}/adr.md`,
      `spec/completed/${specId}/diagrams.md`,
    ]);

    // F: the dictionary lacked reservations.notes; the gate's report went back to the documenter, who fixed it.
    const retry = events.find((e) => e.type === 'phase.retry' && e.phase === 'F');
    assert.ok(retry, 'F was retried');
    assert.match(String(retry.report), /notes/);
    const documenterTasks = world
      .callsOf('documenter')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(documenterTasks.length, 2);
    assert.match(documenterTasks[1]!, /^## GATE FAILED/);
    assert.match(world.read('docs/data/dictionary.md'), /\| notes \| TEXT \|/);
    // Roles read their inputs: B got the PRD, F the census' schema files.
    assert.match(world.callsOf('architect')[0]!.task, /## INPUT: A\.prd \(the spec\)\n## Spec: Reservation notes/);
    assert.match(documenterTasks[0]!, /### Schema files\n- migrations\/\*\*/);

    // Resumed twice (after the stop, at the gate): no closed phase ran again.
    const starts = (phase: string) => events.filter((e) => e.type === 'phase.started' && e.phase === phase).length;
    assert.deepEqual(['B', 'C', 'E'].map(starts), [1, 1, 2]);
    assert.equal(world.callsOf('architect').filter((c) => c.turn === 0).length, 1);
    assert.equal(world.callsOf('database').filter((c) => c.turn === 0).length, 1);
    assert.equal(
      world.callsOf('data-security').filter((c) => c.turn === 0).length,
      2,
      'D: the stopped attempt, then the one that wrote',
    );
    // The roles' spend counts in the run's budget like any agent's.
    const roleCost = events
      .filter((e) => e.type === 'llm.usage' && ['architect', 'qa', 'documenter', 'pm'].includes(String(e.agent)))
      .reduce((sum, e) => sum + Number(e.costUsd), 0);
    assert.ok(roleCost > 0 && completed.costUsd > roleCost, `${roleCost} of ${completed.costUsd}`);
  } finally {
    await world.close();
  }
});
