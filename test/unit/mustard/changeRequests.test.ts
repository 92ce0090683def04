import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { historyLines } from '../../../src/core/pipeline/change/specVersions';
import { markdownText, parseChangeRequests } from '../../../src/core/mustard/changeRequests';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { makeShop } from '../../support/engine/shopWorkspace';

// A QA-review session's log as Mustard writes it: a long pasted report, then two background-task notifications.
const notification = (id: string, command: string) =>
  `<task-notification>\n<task-id>${id}</task-id>\n<tool-use-id>toolu_${id}</tool-use-id>\n<output-file>/tmp/claude/session/tasks/${id}.output</output-file>\n<status>completed</status>\n<summary>Background command "${command}" completed (exit code 0)</summary>\n</task-notification>`;
const LOG = [
  JSON.stringify({
    ts: '2026-08-02T09:10:00.000Z',
    session_id: 's1',
    spec: 'price-rules',
    stage: 'QaReview',
    prompt:
      'O relatório de QA diz:\n\n## Falha 1 — **arredondamento**\n\n```\nexpected 10.00, got 9.99\n```\n\nCorrija em `server/pricing.js` e <b>não</b> mexa no resto.',
  }),
  JSON.stringify({
    ts: '2026-08-02T09:12:30.000Z',
    session_id: 's1',
    spec: 'price-rules',
    stage: 'QaReview',
    prompt: notification('bq1', 'npm test 2>&1 | tail -20'),
  }),
  JSON.stringify({
    ts: '2026-08-02T09:20:05.000Z',
    session_id: 's1',
    spec: 'price-rules',
    stage: 'QaReview',
    prompt: notification('bq2', 'npm run lint > /tmp/lint.txt; echo "exit=$?"'),
  }),
].join('\n');

test('change requests: every line kept as plain text, tool markup included; markdownText escapes what Markdown or HTML would read', () => {
  const { requests, warnings } = parseChangeRequests(`${LOG}\nnot json at all\n\n`, 'change-requests.ndjson');
  assert.equal(requests.length, 4);
  assert.match(
    requests[1]!.text,
    /^<task-notification> <task-id>bq1<\/task-id> .*<summary>Background command "npm test 2>&1 \| tail -20" completed/,
  );
  assert.equal(requests[3]!.text, 'not json at all');
  assert.deepEqual(warnings, ['change-requests.ndjson: 1 line(s) are not a JSON request (line 4); kept as written']);
  assert.equal(
    markdownText('<task-id>a</task-id> **b** `c` [d](e) &amp; |'),
    '\\<task-id\\>a\\</task-id\\> \\*\\*b\\*\\* \\`c\\` \\[d\\](e) \\&amp; \\|',
  );
});

test('an imported Mustard folder’s history holds every change request, markup escaped as text, never parsed: 3 of 3', async () => {
  const shop = makeShop({
    git: false,
    files: {
      '.claude/spec/price-rules/spec.md':
        '# Price rules\n\nRound prices to cents.\n\n- AC-1: WHEN a price is shown THE web app SHALL round it to two decimals.\n',
      '.claude/spec/price-rules/meta.json': JSON.stringify({
        stage: 'QaReview',
        outcome: 'Active',
        phase: null,
        scope: 'light',
      }),
      '.claude/spec/price-rules/change-requests.ndjson': LOG,
    },
  });
  try {
    const imported = await engine.importSpec(shop.dir, '.claude/spec/price-rules');
    const body = (await loadSpec(shop.dir, imported.specId)).body;
    const requests = historyLines(body).filter((line) => /^- 2026-08-02T/.test(line));
    assert.equal(requests.length, 3, historyLines(body).join('\n'));
    assert.match(
      requests[0]!,
      /^- 2026-08-02T09:10:00\.000Z: O relatório de QA diz: \\#\\# Falha 1 — \\\*\\\*arredondamento\\\*\\\* \\`\\`\\` expected 10\.00, got 9\.99 \\`\\`\\` Corrija em \\`server\/pricing\.js\\` e \\<b\\>não\\<\/b\\> mexa no resto\.$/,
    );
    assert.match(
      requests[1]!,
      /^- 2026-08-02T09:12:30\.000Z: \\<task-notification\\> \\<task-id\\>bq1\\<\/task-id\\>.*Background command "npm test 2\\>\\&1 \\\| tail -20" completed/,
    );
    assert.match(requests[2]!, /\\<task-id\\>bq2\\<\/task-id\\>/);
    // No raw tag is left for a Markdown or HTML reader: every < in the history is escaped.
    for (const line of requests) assert.doesNotMatch(line, /(^|[^\\])</);
  } finally {
    shop.cleanup();
  }
});
