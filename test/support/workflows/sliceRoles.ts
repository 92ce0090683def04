/**
 * The slice workflow's roles on the FastAPI reservations fixture (fastapiSlice.ts): the notes
 * slice's migration, route and test, B's ADR and diagrams, F's dictionary (without the notes
 * column until the gate's report asks for it), and every document role writing its sections.
 */
import { reply } from '../messagesApiServer';
import { specAnswer, type AgentScript } from '../engine/agentScript';
import { done, withSections, writesDocuments, NOTES_CONTRACT_SPEC } from './fastapiSlice';

export const NOTES_MIGRATION = 'ALTER TABLE reservations ADD COLUMN notes TEXT;\n';
export const NOTES_ROUTE =
  'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.put("/reservations/{code}/notes")\ndef put_notes(code: str, body: dict):\n    return {"code": code, "notes": body["notes"]}\n';

export const NOTES_TEST =
  '# REQ-1.1: a note sent for a reservation is stored with it\nfrom app.notes import put_notes\n\n\ndef test_put_notes():\n    assert put_notes("ABC12345", {"notes": "late"}) == {"code": "ABC12345", "notes": "late"}\n';

export const ADR = `# Architecture decisions

## ADR-001: Notes live on the reservation row
### Context
Notes are read with the reservation and are short.
### Decision
A nullable TEXT column reservations.notes.
### Consequences
No join to read them; a long history would need its own table.
`;
export const DIAGRAMS = `# Diagrams

## Happy path
\`\`\`mermaid
sequenceDiagram
  Agent->>API: PUT /reservations/ABC12345/notes
  API->>DB: UPDATE reservations SET notes
  API-->>Agent: 200 {code, notes}
\`\`\`

## Rollback
\`\`\`mermaid
sequenceDiagram
  API->>DB: UPDATE reservations SET notes
  DB-->>API: error
  API-->>Agent: 500 {error}
\`\`\`

## States
\`\`\`mermaid
stateDiagram-v2
  [*] --> WithoutNotes
  WithoutNotes --> WithNotes: note saved
  WithNotes --> WithNotes: note replaced
\`\`\`
`;

export const dictionary = (withNotes: boolean) => `# Data dictionary

## Table: reservations

| Column | Type | Description |
|---|---|---|
| id | BIGINT | key |
| reservation_code | CHAR(8) | our code |
| status | VARCHAR(32) | state |
${withNotes ? "| notes | TEXT | the agents' note |\n" : ''}`;

/** Every role of slice A–G for the notes slice; `qa` may be given (the UAT's report). */
export function sliceAgents(overrides: Record<string, AgentScript> = {}): Record<string, AgentScript> {
  return {
    spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_CONTRACT_SPEC),
    database: ({ turn }) =>
      turn === 0
        ? reply.toolUse('write_file', { path: 'migrations/002_reservation_notes.sql', content: NOTES_MIGRATION })
        : done(),
    backend: ({ turn }) =>
      turn === 0
        ? reply.toolUse('write_file', { path: 'app/notes.py', content: NOTES_ROUTE })
        : turn === 1
          ? reply.toolUse('write_file', { path: 'app/test_notes.py', content: NOTES_TEST })
          : done(),
    architect: writesDocuments((path) => (path.endsWith('adr.md') ? ADR : DIAGRAMS)),
    'data-security': writesDocuments(() =>
      withSections('Data and security', ['Sanitization', 'Performance', 'Findings']),
    ),
    qa: writesDocuments(() => withSections('QA report', ['Integration', 'Concurrency', 'Stress', 'UAT'])),
    documenter: writesDocuments((path, call) =>
      path === 'docs/data/dictionary.md'
        ? dictionary(call.task.includes('GATE FAILED'))
        : withSections('Slice report', ['Summary', 'Traceability', 'Documentation']),
    ),
    pm: writesDocuments(() => withSections('Retrospective', ['Objectives', 'Business metrics', 'Lessons'])),
    ...overrides,
  };
}
