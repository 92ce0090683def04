import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { reply } from '../../support/messagesApiServer';
import { specAnswer } from '../../support/engine/agentScript';
import {
  done,
  NOTES_CONTRACT_SPEC,
  sliceWorld,
  withSections,
  writesDocuments,
} from '../../support/workflows/fastapiSlice';

/** The slice's notes spec with a second requirement: a long note is refused. */
const SPEC = NOTES_CONTRACT_SPEC.replace(
  '### API Contracts',
  `#### REQ-2: Notes are bounded\n**Acceptance criteria**\n- REQ-2.1: IF a note is longer than 2000 characters THEN THE service SHALL answer 422.\n\n### API Contracts`,
).replace('app/notes.py storing the note (REQ-1)', 'app/notes.py storing the note, refusing a long one (REQ-1, REQ-2)');

const ROUTE =
  'from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n\n@router.put("/reservations/{code}/notes")\ndef put_notes(code: str, body: dict):\n    if len(body["notes"]) > 2000:\n        raise HTTPException(status_code=422)\n    return {"code": code, "notes": body["notes"]}\n';
const ROUTE_TEST =
  '# REQ-1.1 and REQ-2.1\nfrom app.notes import put_notes\n\n\ndef test_put_notes():\n    assert put_notes("ABC12345", {"notes": "late"})["notes"] == "late"\n';
const ADR =
  '# Architecture decisions\n\n## ADR-001: Notes live on the reservation row\n### Context\nREQ-1 asks for one note per reservation.\n### Decision\nA nullable TEXT column.\n### Consequences\nNo join to read it.\n';
const DIAGRAMS =
  '# Diagrams\n\n## Happy path\n```mermaid\nsequenceDiagram\n  Agent->>API: PUT notes\n  API-->>Agent: 200\n```\n\n## Rollback\n```mermaid\nsequenceDiagram\n  API->>DB: UPDATE\n  DB-->>API: error\n  API-->>Agent: 500\n```\n\n## States\n```mermaid\nstateDiagram-v2\n  [*] --> WithoutNotes\n  WithoutNotes --> WithNotes: REQ-1 note saved\n```\n';
const DICTIONARY =
  '# Data dictionary\n\n## Table: reservations\n\n| Column | Type |\n|---|---|\n| id | BIGINT |\n| reservation_code | CHAR(8) |\n| status | VARCHAR(32) |\n| notes | TEXT |\n';
/** Markdown with these headings, one of them citing a requirement. */
const citing = (title: string, sections: string[], cite: string) =>
  withSections(title, sections).replace(`## ${sections[0]}\n`, `## ${sections[0]}\n${cite}\n`);

test("slice: the matrix beside the spec gains each phase's columns as it closes — design at B, code and validation at C, tests and UAT at E; the workbook reads back with them", async () => {
  const world = await sliceWorld({
    spec: specAnswer('Reservation notes', 'reservation-notes', SPEC),
    database: ({ turn }) =>
      turn === 0
        ? reply.toolUse('write_file', {
            path: 'migrations/002_reservation_notes.sql',
            content: 'ALTER TABLE reservations ADD COLUMN notes TEXT;\n',
          })
        : done(),
    backend: ({ turn }) =>
      turn === 0
        ? reply.toolUse('write_file', { path: 'app/notes.py', content: ROUTE })
        : turn === 1
          ? reply.toolUse('write_file', { path: 'app/test_notes.py', content: ROUTE_TEST })
          : done(),
    architect: writesDocuments((path) => (path.endsWith('adr.md') ? ADR : DIAGRAMS)),
    'data-security': writesDocuments(() =>
      citing(
        'Data and security',
        ['Sanitization', 'Performance', 'Findings'],
        'REQ-2.1: the length is checked before the UPDATE.',
      ),
    ),
    qa: writesDocuments(() =>
      citing('QA report', ['Integration', 'Concurrency', 'Stress', 'UAT'], 'REQ-1.1 passed with 50 concurrent agents.'),
    ),
    documenter: writesDocuments((path) =>
      path === 'docs/data/dictionary.md'
        ? DICTIONARY
        : withSections('Slice report', ['Summary', 'Traceability', 'Documentation']),
    ),
    pm: writesDocuments(() => withSections('Retrospective', ['Objectives', 'Business metrics', 'Lessons'])),
  });
  try {
    // The headers of trace.md beside the spec as each phase starts: what the phases before it left.
    const headersAt = new Map<string, string>();
    let folder: string | undefined;
    const record = world.host.onEvent.bind(world.host);
    world.host.onEvent = (event: EngineEvent) => {
      record(event);
      if (event.type === 'spec.saved') folder = event.path.replace(/\/spec\.md$/, '');
      if (event.type === 'phase.started' && folder && !headersAt.has(event.phase)) {
        const file = join(world.dir, folder, 'trace.md');
        headersAt.set(
          event.phase,
          existsSync(file)
            ? (readFileSync(file, 'utf8')
                .split('\n')
                .find((line) => line.startsWith('| Requirement')) ?? '')
            : '(none)',
        );
      }
    };
    world.host.decisions = [{ action: 'approve' }, { action: 'approve' }];
    const summary = await engine.runFeature('Agents add a note to a reservation', world.options({ workflow: 'slice' }));
    assert.equal(summary.status, 'completed', summary.error);

    assert.deepEqual(Object.fromEntries(['B', 'C', 'D', 'E', 'F', 'G'].map((phase) => [phase, headersAt.get(phase)])), {
      B: '| Requirement | Criterion | Gaps |',
      C: '| Requirement | Criterion | Design | Gaps |',
      D: '| Requirement | Criterion | Design | Tasks | Files | Validation | Gaps |',
      E: '| Requirement | Criterion | Design | Tasks | Files | Validation | Gaps |',
      F: '| Requirement | Criterion | Design | Tasks | Files | Validation | Tests | Proof | Red on base | Green after | Strength | UAT | Gaps |',
      G: '| Requirement | Criterion | Design | Tasks | Files | Validation | Tests | Proof | Red on base | Green after | Strength | UAT | Gaps |',
    });

    const specId = summary.specPath!.split('/')[2]!;
    const completed = `spec/completed/${specId}`;
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(world.dir, completed, 'trace.xlsx'));
    const sheet = book.getWorksheet('Traceability')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    assert.deepEqual(headers, [
      'Requirement',
      'Criterion',
      'Design',
      'Tasks',
      'Files',
      'Validation',
      'Tests',
      'Proof',
      'Red on base',
      'Green after',
      'Strength',
      'UAT',
      'Gaps',
    ]);
    const row = (criterion: string) => {
      for (let r = 2; r <= sheet.rowCount; r++) {
        const cells = (sheet.getRow(r).values as unknown[]).slice(1).map((value) => String(value ?? ''));
        if (cells[1]!.startsWith(`${criterion}:`))
          return Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? '']));
      }
      return undefined;
    };
    const closedE = world.journal(summary.runId).find((e) => e.type === 'phase.closed' && e.phase === 'E')!;
    // REQ-1: the ADR and the state diagram cite it; the QA report its criterion.
    assert.deepEqual(row('REQ-1.1'), {
      Requirement: 'REQ-1: Notes on a reservation',
      Criterion:
        'REQ-1.1: WHEN an agent sends a note for a reservation THE service SHALL store it with the reservation.',
      Design: `${completed}/adr.md:5\n${completed}/diagrams.md:22`,
      Tasks:
        '1. Database: migrations/002_reservation_notes.sql adding reservations.notes (REQ-1)\n2. Backend: app/notes.py storing the note, refusing a long one (REQ-1, REQ-2)',
      // The files the tasks name (the backend's test is not named by a task).
      Files: 'app/notes.py\nmigrations/002_reservation_notes.sql',
      Validation: 'database: passed\nbackend: passed',
      Tests: 'app/test_notes.py',
      // The slice's config names no proof command: nothing proven, said as such.
      Proof: 'unproven',
      'Red on base': '—',
      'Green after': '—',
      Strength: '—',
      UAT: `E signed off ${String(closedE.ts)}\n${completed}/qa-report.md:4`,
      Gaps: '',
    });
    // REQ-2: no design document cites it; D's data and security report does.
    const req2 = row('REQ-2.1')!;
    assert.equal(req2.Design, '(none)');
    assert.equal(req2.Validation, `backend: passed\n${completed}/data-security.md:4`);
    assert.equal(req2.UAT, `E signed off ${String(closedE.ts)}`);

    const markdown = world.read(`${completed}/trace.md`);
    assert.match(
      markdown,
      /\nEvery requirement with work has an implementing file\.\n\nEvery criterion has a test\.\n$/,
    );
  } finally {
    await world.close();
  }
});
