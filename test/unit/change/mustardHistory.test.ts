import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustardHistoryLines, readMustardChangeRequests } from '../../../src/core/change/mustardHistory';

// The shapes a Mustard spec folder's change-requests.ndjson takes (REALWORLD.md): raw requests,
// some carrying <task-notification> chatter, keys varying between versions.
const LOG = [
  JSON.stringify({ id: 'cr-1', ts: '2026-05-02T10:00:00Z', request: 'Mostrar o preço com duas casas decimais' }),
  JSON.stringify({ timestamp: 1777716000, text: 'Add an export button <task-notification>\n<task-id>x</task-id>\n<status>completed</status>\n</task-notification> to the list' }),
  JSON.stringify('Keep the old endpoint for a release'),
  '{"request": "cut off by a crash',
  JSON.stringify({ ts: '2026-05-03T09:00:00Z', note: 'no request text here' }),
  '',
].join('\n');

test("Mustard's change-requests.ndjson read as history: text and time under their varying keys, task notifications dropped, bad lines warned about by line", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-mustard-cr-'));
  try {
    writeFileSync(join(dir, 'change-requests.ndjson'), `\uFEFF${LOG}`);
    const { entries, warnings } = await readMustardChangeRequests(dir, '.claude/spec/precos/change-requests.ndjson');
    assert.deepEqual(entries, [
      { request: 'Mostrar o preço com duas casas decimais', source: 'mustard', at: '2026-05-02T10:00:00.000Z', id: 'cr-1' },
      { request: 'Add an export button to the list', source: 'mustard', at: new Date(1777716000 * 1000).toISOString() },
      { request: 'Keep the old endpoint for a release', source: 'mustard' },
    ]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /^\.claude\/spec\/precos\/change-requests\.ndjson:4: not a JSON line/);
    assert.match(warnings[1]!, /:5: no request text/);
    assert.deepEqual(mustardHistoryLines(entries.slice(0, 1)), ['- Mustard change request (2026-05-02T10:00:00.000Z): "Mostrar o preço com duas casas decimais"']);

    const none = mkdtempSync(join(tmpdir(), 'orch-mustard-none-'));
    assert.deepEqual(await readMustardChangeRequests(none), { entries: [], warnings: [] });
    rmSync(none, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
