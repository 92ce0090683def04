// A small FastAPI-like service (a Python app with SQL migrations, as users' FastAPI repos
// have them) as a throw-away git workspace, the model test server scripted per role, and an
// in-memory host: the world of the workflow engine tests (slice, squads).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunOptions } from '../../../src/core/api';
import { block, reply, type ScriptedReply } from '../messagesApiServer';
import { configFor, startModelServer, TEST_PROVIDER, UNREACHABLE_URL, type ModelServer } from '../modelServer';
import { pipelineScript, type AgentCall, type AgentScript, type PipelineScript } from '../engine/agentScript';
import { TestHost } from '../engine/testHost';

const CONFIG = `version: 1
models:
  default: claude-sonnet-5-5
layers:
  database:
    owns: ["migrations/**"]
    validate: ["node tools/check_sql.js migrations"]
  backend:
    owns: ["app/**"]
    validate: ["node tools/check_py.js app"]
    after: [database]
schema: ["migrations/**"]
limits:
  maxRetries: 2
  maxBudgetUsd: 5
  maxAgentTurns: 20
  concurrency: 2
`;

/** The service before the slice: reservations in SQL migrations, a FastAPI app, the checkers outside every layer's owns. */
export const FASTAPI_FILES: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "reservations"\ndependencies = ["fastapi", "sqlalchemy"]\n',
  'app/__init__.py': '',
  'app/main.py':
    'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
  'migrations/001_reservations.sql':
    'CREATE TABLE reservations (\n  id BIGINT PRIMARY KEY,\n  reservation_code CHAR(8) NOT NULL,\n  status VARCHAR(32) NOT NULL\n);\n',
  // Each statement of each migration ends with ";" and the files are numbered in order.
  'tools/check_sql.js': `const fs = require('fs'); const path = require('path');
const dir = process.argv[2]; const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
files.forEach((f, i) => { if (!f.startsWith(String(i + 1).padStart(3, '0') + '_')) { console.error(f + ': not numbered ' + (i + 1)); process.exit(1); }
  const text = fs.readFileSync(path.join(dir, f), 'utf8').trim(); if (!text.endsWith(';')) { console.error(f + ': a statement without ";"'); process.exit(1); } });
`,
  // Every Python file's brackets balance and no line mixes tabs into its indentation.
  'tools/check_py.js': `const fs = require('fs'); const path = require('path');
for (const f of fs.readdirSync(process.argv[2]).filter((f) => f.endsWith('.py'))) { const text = fs.readFileSync(path.join(process.argv[2], f), 'utf8');
  let depth = 0; for (const c of text) { if ('([{'.includes(c)) depth++; if (')]}'.includes(c)) depth--; if (depth < 0) break; }
  if (depth !== 0) { console.error(f + ': unbalanced brackets'); process.exit(1); }
  if (/^\\t/m.test(text)) { console.error(f + ': tab indentation'); process.exit(1); } }
`,
  '.claude/orchestrator.yaml': CONFIG,
};

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export interface SliceWorld extends PipelineScript {
  dir: string;
  api: ModelServer;
  host: TestHost;
  read(path: string): string;
  exists(path: string): boolean;
  write(path: string, content: string): void;
  options(extra?: Partial<RunOptions>): RunOptions;
  /** The run's journal, parsed. */
  journal(runId: string): (Record<string, unknown> & { type: string; seq: number })[];
  close(): Promise<void>;
}

export async function sliceWorld(
  agents: Record<string, AgentScript>,
  files: Record<string, string> = {},
): Promise<SliceWorld> {
  const scripted = pipelineScript(agents);
  const api = await startModelServer(TEST_PROVIDER, scripted.script, { requireKey: TEST_PROVIDER === 'openai' });
  const base = mkdtempSync(join(tmpdir(), 'orch-fastapi-'));
  const dir = join(base, 'reservations');
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const all = { ...FASTAPI_FILES, ...files };
  for (const [path, content] of Object.entries(all))
    write(path, path === '.claude/orchestrator.yaml' ? configFor(TEST_PROVIDER, api.url)(content) : content);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'reservations');
  const host = new TestHost();
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  return {
    ...scripted,
    dir,
    api,
    host,
    read,
    exists: (path) => existsSync(join(dir, path)),
    write,
    options: (extra = {}) => ({
      workspace: dir,
      host,
      baseURL: TEST_PROVIDER === 'anthropic' ? api.url : UNREACHABLE_URL,
      assumeYes: true,
      ...extra,
    }),
    journal: (runId) =>
      read(`.claude/runs/${runId}/events.jsonl`)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string; seq: number }),
    async close() {
      await api.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** The documents a role's task asks for, in order ("Write:" then "- path: sections …"). */
export function documentsAsked(call: AgentCall): string[] {
  const section = call.task.split('## TASK')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^- (\S+\.md)/gm)].map((m) => m[1]!);
}

/** A role's usual conversation: write its documents (from their headings), then report done. */
export function writesDocuments(content: (path: string, call: AgentCall) => string): AgentScript {
  return (call) => {
    if (call.turn > 0)
      return reply.toolUse('submit_result', { status: 'done', summary: `Wrote ${documentsAsked(call).join(', ')}.` });
    return reply.turn(
      documentsAsked(call).map((path) => block.toolUse('write_file', { path, content: content(path, call) })),
    );
  };
}

/** Markdown with these headings, each with a line of text. */
export function withSections(title: string, sections: string[]): string {
  return (
    [`# ${title}`, ...sections.map((section) => `## ${section}\n${section} of the reservation notes slice.`)].join(
      '\n\n',
    ) + '\n'
  );
}

export const done = (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
  reply.toolUse('submit_result', { status: 'done', summary });

/** The notes slice's spec: one backend task, no endpoint (the small workflows' tests). */
export const NOTES_SPEC = `## Spec: Reservation notes

### Summary
Agents add a note to a reservation.

### Requirements

#### REQ-1: Notes
**Acceptance criteria**
- REQ-1.1: WHEN an agent sends a note THE service SHALL store it.

### Files to Create/Modify

#### Backend
- [ ] app/notes.py: store the note

### Tasks
1. [ ] Backend: app/notes.py storing the note (REQ-1)

### Dependencies
- None
`;

/** The same with its API contract and a database task (slice and squads). */
export const NOTES_CONTRACT_SPEC = `## Spec: Reservation notes

### Summary
Agents add a free-text note to a reservation.

### Requirements

#### REQ-1: Notes on a reservation
**Acceptance criteria**
- REQ-1.1: WHEN an agent sends a note for a reservation THE service SHALL store it with the reservation.

### API Contracts

#### PUT /reservations/{code}/notes
- Success: 200 {code, notes}
- 4xx: 404 {error} when no reservation has the code; 422 {error} when the note is longer than 2000 characters
- 5xx: 500 {error: "internal error"}
- Timeout: the client gets 504 after 10 s and retries once

### Files to Create/Modify

#### Database
- [ ] migrations/002_reservation_notes.sql: add reservations.notes

#### Backend
- [ ] app/notes.py: PUT /reservations/{code}/notes

### Tasks
1. [ ] Database: migrations/002_reservation_notes.sql adding reservations.notes (REQ-1)
2. [ ] Backend: app/notes.py storing the note (REQ-1)

### Dependencies
- None
`;

/** A workflow's first phases: SYNC, UNDERSTAND and the SPEC gate (the tests' own workflows add theirs). */
export const FRONT_PHASES = `version: 1
squads: { data: [database], api: [backend] }
phases:
  - { name: SYNC, uses: sync, gate: none }
  - { name: UNDERSTAND, uses: understand, inputs: [request, census], gate: none }
  - name: SPEC
    uses: spec
    inputs: [request, UNDERSTAND]
    outputs: [{ document: spec, path: "{spec}/spec.md" }]
    gate: human
`;

/** An architect's ADR phase after the spec, checked for its Decision section. */
export const ADR_PHASE = `  - name: ADR
    role: { agent: architect, access: write }
    inputs: [SPEC.spec]
    outputs: [{ document: adr, path: "{spec}/adr.md", sections: [Decision] }]
    gate: { check: [sections] }
`;
