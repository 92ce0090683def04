import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, type AgentScript } from '../../support/engine/agentScript';
import {
  done,
  sliceWorld,
  withSections,
  writesDocuments,
  type SliceWorld,
  NOTES_SPEC,
  FRONT_PHASES,
  ADR_PHASE,
} from '../../support/workflows/fastapiSlice';

const AUTHOR = `#### REQ-2: The note's author
**Acceptance criteria**
- REQ-2.1: WHEN an agent saves a note THE service SHALL record the agent as its author.

### Files to Create/Modify`;
const SPEC_V2 = NOTES_SPEC.replace('### Files to Create/Modify', AUTHOR).replace(
  'storing the note (REQ-1)',
  'storing the note (REQ-1)\n2. [ ] Backend: app/notes.py recording the author (REQ-2)',
);

const FLOW = `${FRONT_PHASES}${ADR_PHASE}  - name: GLOSSARY
    role: { agent: documenter, access: write }
    inputs: [census]
    outputs: [{ document: glossary, path: "{spec}/glossary.md", sections: [Terms] }]
    gate: { check: [sections] }
  - name: IMPLEMENT
    uses: implement
    inputs: [SPEC.spec]
    outputs: [code]
    gate: { check: [validate] }
  - name: QA
    role: { agent: qa, access: write }
    inputs: [SPEC.spec, IMPLEMENT]
    outputs: [{ document: qa, path: "{spec}/qa.md", sections: [UAT] }]
    gate: { check: [sections] }
`;

test('a change request in any workflow: the amended spec re-runs only the closed phases whose inputs come from it', async () => {
  const ref: { world?: SliceWorld } = {};
  const backend: AgentScript = async ({ turn, task }) => {
    if (turn > 0) return done();
    if (!task.includes('FIX MODE: THE APPROVED SPEC WAS AMENDED')) {
      const runId = ref.world!.host.ofType('run.started')[0]!.runId;
      assert.equal(
        (await engine.requestChange(runId, 'Record who wrote the note', ref.world!.options())).status,
        'queued',
      );
      return reply.toolUse('write_file', {
        path: 'app/notes.py',
        content: 'def put_notes(code, notes):\n    return {"code": code, "notes": notes}\n',
      });
    }
    return reply.toolUse('write_file', {
      path: 'app/notes.py',
      content: 'def put_notes(code, notes, author):\n    return {"code": code, "notes": notes, "author": author}\n',
    });
  };
  const world = await sliceWorld(
    {
      spec: ({ task }) =>
        say.spec(
          'Reservation notes',
          'reservation-notes',
          task.includes('CHANGE REQUEST (amendment to the approved spec)') ? SPEC_V2 : NOTES_SPEC,
        ),
      architect: writesDocuments((_path, call) =>
        withSections(
          call.task.includes('## THE SPEC WAS AMENDED') ? 'ADR v2: the author is the signed-in agent' : 'ADR',
          ['Decision'],
        ),
      ),
      documenter: writesDocuments(() => withSections('Glossary', ['Terms'])),
      qa: writesDocuments(() => withSections('QA', ['UAT'])),
      backend,
    },
    { '.claude/workflows/changeflow.yaml': FLOW },
  );
  ref.world = world;
  try {
    const summary = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'changeflow', autoApprove: true }),
    );
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const events = world.journal(summary.runId);
    const folder = `spec/active/${summary.specPath!.split('/')[2]!}`;
    assert.deepEqual(
      events.filter((e) => e.type === 'change.approved').map((e) => [e.version, e.requirements]),
      [[2, ['REQ-2']]],
    );

    // ADR read the spec: written again with the amendment, closed again. GLOSSARY read the census only: kept.
    const architectTasks = world
      .callsOf('architect')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(architectTasks.length, 2);
    assert.match(
      architectTasks[1]!,
      /^## THE SPEC WAS AMENDED\n[^\n]*\nThe approved spec was amended \(now v2\)[^\n]*\n- v2: Record who wrote the note \(requirements changed: REQ-2\)/,
    );
    assert.match(architectTasks[1]!, /REQ-2: The note's author/);
    assert.match(world.read(`${folder}/adr.md`), /^# ADR v2: the author is the signed-in agent/);
    assert.equal(world.callsOf('documenter').filter((c) => c.turn === 0).length, 1);
    const closed = events.filter((e) => e.type === 'phase.closed').map((e) => e.phase);
    assert.deepEqual(closed, ['SYNC', 'UNDERSTAND', 'SPEC', 'ADR', 'GLOSSARY', 'IMPLEMENT', 'ADR', 'QA']);
    // QA, still to come, read the amended spec once.
    const qaTasks = world
      .callsOf('qa')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(qaTasks.length, 1);
    assert.match(qaTasks[0]!, /REQ-2: The note's author/);
  } finally {
    await world.close();
  }
});
