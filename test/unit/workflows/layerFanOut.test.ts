import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { block, reply } from '../../support/messagesApiServer';
import { specAnswer, type AgentScript } from '../../support/engine/agentScript';
import {
  documentsAsked,
  done,
  sliceWorld,
  withSections,
  FRONT_PHASES,
  NOTES_SPEC,
} from '../../support/workflows/fastapiSlice';

// A document phase fanned out per layer: the documenter writes one note per layer (database, backend).
const NOTES = `${FRONT_PHASES}  - name: NOTES
    title: Layer notes
    role: { agent: documenter, access: write }
    fanOut: layers
    retries: 1
    inputs: [SPEC.spec, census]
    outputs: [{ document: notes, path: "{spec}/notes-{layer}.md", sections: [Owns, Changes] }]
    gate: { check: [sections] }
`;

test('fanOut: layers — one role agent per layer, each writing only its own document, journaled; a run killed mid-fan-out resumes without redoing a finished layer; a failed gate sends back only the layer that failed', async () => {
  const controller = new AbortController();
  let killed = false;
  const documenter: AgentScript = (call) => {
    const [note] = documentsAsked(call);
    if (call.turn > 0) return done(`Wrote ${note}.`);
    if (note!.endsWith('notes-database.md')) {
      // It also tries the backend's note: not its document in this layer's run, refused.
      return reply.turn([
        block.toolUse('write_file', { path: note!.replace('database', 'backend'), content: '# not mine\n' }),
        block.toolUse('write_file', { path: note!, content: withSections('Database notes', ['Owns', 'Changes']) }),
      ]);
    }
    if (!killed) {
      // The run is killed while the backend's note is being written.
      killed = true;
      controller.abort();
      return { ...done('never read'), beforeMs: 30_000 };
    }
    // After the resume its first note lacks a section; the gate sends it back to the backend's note alone.
    const sections = call.task.startsWith('## GATE FAILED') ? ['Owns', 'Changes'] : ['Owns'];
    return reply.toolUse('write_file', {
      path: note!,
      content: withSections(`Backend notes (${sections.length})`, sections),
    });
  };
  const world = await sliceWorld(
    { spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_SPEC), documenter },
    { '.claude/workflows/notes.yaml': NOTES },
  );
  try {
    const cancelled = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'notes', autoApprove: true, signal: controller.signal }),
    );
    assert.equal(cancelled.status, 'cancelled', cancelled.error);
    const folder = `spec/active/${cancelled.specPath!.split('/')[2]!}`;
    const layerDone = () =>
      world
        .journal(cancelled.runId)
        .filter((e) => e.type === 'phase.layer.done')
        .map((e) => [e.layer, e.documents]);
    assert.deepEqual(layerDone(), [['database', [`${folder}/notes-database.md`]]]);
    assert.equal(
      world.exists(`${folder}/notes-backend.md`),
      false,
      "the database's run could not write the backend's note",
    );

    const completed = await engine.resumeRun(cancelled.runId, world.options({ autoApprove: true }));
    assert.equal(completed.status, 'completed', completed.error ?? completed.report);
    const events = world.journal(cancelled.runId);

    // One conversation per layer and pass: the database's once; the backend's killed, written again, fixed after the gate.
    const tasks = world.callsOf('documenter').filter((c) => c.turn === 0);
    assert.deepEqual(
      tasks.map((c) => documentsAsked(c)),
      [
        [`${folder}/notes-database.md`],
        [`${folder}/notes-backend.md`],
        [`${folder}/notes-backend.md`],
        [`${folder}/notes-backend.md`],
      ],
    );
    assert.match(
      tasks[0]!.task,
      /^## TASK\nPhase NOTES — Layer notes for layer database \(it owns: migrations\/\*\*\)\.\nWrite:\n- spec\/active\/[^/]+\/notes-database\.md: sections "Owns", "Changes"\n/,
    );
    assert.match(tasks[2]!.task, /^## TASK\nPhase NOTES — Layer notes for layer backend \(it owns: app\/\*\*\)\./);
    assert.match(
      tasks[3]!.task,
      new RegExp(
        `^## GATE FAILED[^\\n]*\\n[^\\n]*\\n- ${folder}/notes-backend\\.md:1: missing section "Changes"$`,
        'm',
      ),
    );
    assert.ok(
      events.some(
        (e) =>
          e.type === 'tool.called' &&
          e.agent === 'documenter' &&
          e.tool === 'write_file' &&
          e.isError === true &&
          JSON.stringify(e.input).includes('notes-backend.md'),
      ),
    );

    assert.deepEqual(layerDone(), [
      ['database', [`${folder}/notes-database.md`]],
      ['backend', [`${folder}/notes-backend.md`]],
      ['backend', [`${folder}/notes-backend.md`]],
    ]);
    assert.deepEqual(
      events.filter((e) => e.type === 'phase.retry').map((e) => [e.phase, e.attempt, e.max]),
      [['NOTES', 1, 1]],
    );
    const closed = events.filter((e) => e.type === 'phase.closed' && e.phase === 'NOTES');
    const completedFolder = folder.replace('spec/active/', 'spec/completed/');
    assert.deepEqual(
      closed.map((e) => e.documents),
      [[`${folder}/notes-database.md`, `${folder}/notes-backend.md`]],
    );
    assert.match(world.read(`${folder}/notes-database.md`), /^# Database notes\n/);
    assert.match(world.read(`${folder}/notes-backend.md`), /^# Backend notes \(2\)\n[\s\S]*## Changes/);
    assert.equal(
      world.exists(completedFolder),
      false,
      'no COMPLETE in this workflow: the notes stay beside the active spec',
    );
  } finally {
    await world.close();
  }
});
