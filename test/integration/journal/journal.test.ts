import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { Journal, JournalCorruptError, hasJournal, readEvents } from '../../../src/core/journal/journal';
import { journalPath } from '../../../src/core/journal/runPaths';
import { useTempDirs } from '../../support/tempDirs';

const workspace = useTempDirs('orch-journal-');

const started: EngineEvent = { type: 'run.started', runId: 'r1', kind: 'feature', request: 'add invoices' };
const phase = (name: string): EngineEvent => ({ type: 'phase.started', phase: name });

describe('Journal', () => {
  it('appends one line per event with UTC ts and a seq starting at 1', () => {
    const ws = workspace();
    let clock = Date.UTC(2026, 10, 21, 10, 15, 30);
    const journal = Journal.create(ws, 'r1', { now: () => new Date(clock++) });
    const first = journal.append(started);
    journal.append(phase('SYNC'));
    journal.close();
    assert.deepEqual(first, { seq: 1, ts: '2026-11-21T10:15:30.000Z', ...started });
    const lines = readFileSync(journalPath(ws, 'r1'), 'utf8').split('\n');
    assert.equal(lines.length, 3, 'two lines and a final newline');
    assert.equal(lines[2], '');
    assert.deepEqual(JSON.parse(lines[1]!), {
      seq: 2,
      ts: '2026-11-21T10:15:30.001Z',
      type: 'phase.started',
      phase: 'SYNC',
    });
    assert.deepEqual(
      readEvents(ws, 'r1').map((e) => e.seq),
      [1, 2],
    );
    assert.ok(hasJournal(ws, 'r1'));
    assert.ok(!hasJournal(ws, 'r2'));
  });

  it('continues seq after reopening, and refuses to create the same run twice', () => {
    const ws = workspace();
    const journal = Journal.create(ws, 'r1');
    journal.append(started);
    journal.append(phase('SYNC'));
    journal.close();
    assert.throws(() => Journal.create(ws, 'r1'), /already has a journal/);
    const reopened = Journal.open(ws, 'r1');
    assert.equal(reopened.lastSeq, 2);
    assert.equal(reopened.append(phase('SPEC')).seq, 3);
    reopened.sink(phase('IMPLEMENT'));
    reopened.close();
    assert.deepEqual(
      readEvents(ws, 'r1').map((e) => [e.seq, e.type]),
      [
        [1, 'run.started'],
        [2, 'phase.started'],
        [3, 'phase.started'],
        [4, 'phase.started'],
      ],
    );
    assert.throws(() => reopened.append(phase('x')), /closed/);
    assert.throws(() => Journal.open(ws, 'missing'), /has no journal/);
  });

  it('ignores a torn last line, and reopening cuts it off before appending', () => {
    const ws = workspace();
    const journal = Journal.create(ws, 'r1');
    journal.append(started);
    journal.append(phase('SYNC'));
    journal.close();
    appendFileSync(journalPath(ws, 'r1'), '{"seq":3,"ts":"2026-11-21T10:15:30.000Z","type":"pha');
    assert.deepEqual(
      readEvents(ws, 'r1').map((e) => e.seq),
      [1, 2],
    );
    const reopened = Journal.open(ws, 'r1');
    assert.equal(reopened.append(phase('SPEC')).seq, 3);
    reopened.close();
    assert.deepEqual(
      readEvents(ws, 'r1').map((e) => e.type),
      ['run.started', 'phase.started', 'phase.started'],
    );
    assert.doesNotMatch(readFileSync(journalPath(ws, 'r1'), 'utf8'), /"pha\n|"type":"pha[^s]/);
  });

  it('keeps a complete last line whose newline was lost', () => {
    const ws = workspace();
    const path = journalPath(ws, 'r1');
    Journal.create(ws, 'r1').close();
    writeFileSync(path, `${JSON.stringify({ seq: 1, ts: 't', ...started })}`);
    assert.equal(readEvents(ws, 'r1').length, 1);
    const journal = Journal.open(ws, 'r1');
    journal.append(phase('SYNC'));
    journal.close();
    assert.deepEqual(
      readEvents(ws, 'r1').map((e) => e.seq),
      [1, 2],
    );
  });

  it('reports a corrupt line in the middle as file:line', () => {
    const ws = workspace();
    const path = journalPath(ws, 'r1');
    Journal.create(ws, 'r1').close();
    writeFileSync(
      path,
      [
        JSON.stringify({ seq: 1, ts: 't', ...started }),
        '{"seq":2,"ts":"t","type":"phase.sta',
        JSON.stringify({ seq: 3, ts: 't', type: 'phase.started', phase: 'SPEC' }),
        '',
      ].join('\n'),
    );
    assert.throws(
      () => readEvents(ws, 'r1'),
      (err: unknown) => {
        assert.ok(err instanceof JournalCorruptError);
        assert.equal(err.line, 2);
        assert.ok(err.message.startsWith(`${path}:2: `), err.message);
        return true;
      },
    );
    assert.throws(() => Journal.open(ws, 'r1'), JournalCorruptError);
  });

  it('rejects lines that are JSON but not entries, and seq going backwards', () => {
    const ws = workspace();
    const path = journalPath(ws, 'r1');
    Journal.create(ws, 'r1').close();
    writeFileSync(path, `${JSON.stringify({ seq: 1, ts: 't', ...started })}\n[1,2]\n`);
    assert.throws(() => readEvents(ws, 'r1'), /events\.jsonl:2: .*not a JSON object/);
    writeFileSync(
      path,
      `${JSON.stringify({ seq: 2, ts: 't', ...started })}\n${JSON.stringify({ seq: 2, ts: 't', ...started })}\n`,
    );
    assert.throws(() => readEvents(ws, 'r1'), /events\.jsonl:2: .*seq 2 does not follow seq 2/);
  });

  it('redacts anything that looks like an Anthropic key, and secrets it was given', () => {
    const ws = workspace();
    const journal = Journal.create(ws, 'r1', { secrets: ['proxy-token-0123456789'] });
    const entry = journal.append({
      type: 'tool.called',
      agent: 'backend',
      tool: 'read_file',
      input: { path: '.env' },
      isError: false,
      result: 'ANTHROPIC_API_KEY=sk-ant-api03-AbC_d-12345xyz\nOTHER=1\nPROXY=proxy-token-0123456789',
    });
    journal.append({ type: 'log', level: 'error', message: 'bad key "sk-ant-admin01-zzz"' });
    journal.close();
    const text = readFileSync(journalPath(ws, 'r1'), 'utf8');
    assert.doesNotMatch(text, /sk-ant-|proxy-token/);
    assert.equal(journal.redactions, 3);
    assert.equal((entry as { result: string }).result, 'ANTHROPIC_API_KEY=[REDACTED]\nOTHER=1\nPROXY=[REDACTED]');
    assert.deepEqual(
      readEvents(ws, 'r1').map((e) => e.type),
      ['tool.called', 'log'],
    );
  });

  it('refuses run ids that could escape the runs directory', () => {
    const ws = workspace();
    assert.throws(() => Journal.create(ws, '../escape'), /Invalid runId/);
    assert.throws(() => readEvents(ws, 'a/b'), /Invalid runId/);
  });

  it('loses nothing already appended when the process is killed with SIGKILL', () => {
    const ws = workspace();
    const journalModule = resolve(__dirname, '../../../src/core/journal/journal.ts');
    const script = `
      const { Journal } = require(${JSON.stringify(journalModule)});
      const journal = Journal.create(${JSON.stringify(ws)}, 'killed');
      for (let i = 0; i < 200; i++) journal.append({ type: 'log', level: 'info', message: 'event ' + i });
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: resolve(__dirname, '../../..'),
    });
    assert.equal(child.signal, 'SIGKILL', child.stderr.toString());
    const events = readEvents(ws, 'killed');
    assert.equal(events.length, 200);
    assert.equal(events.at(-1)?.seq, 200);
  });
});
