// Codex's per-response usage is read from its session file as the file grows
// (src/core/runners/codex/sessionUsage.ts). Under load the 100 ms polls overlap: each must read
// only what the one before it left, or a response's usage is lost and the budget cap undercounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionUsageFollower, type CodexResponseUsage } from '../../../src/core/runners/codex/sessionUsage';

const record = (responseId: string, output: number): string =>
  `${JSON.stringify({ type: 'token_usage_record', payload: { response_id: responseId, usage: { input_tokens: 100, cached_input_tokens: 10, output_tokens: output } } })}\n`;

test('overlapping polls of a growing Codex session file report every response once, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-codex-usage-'));
  try {
    const file = join(dir, 'rollout-2026-11-25T10-00-00-thread.jsonl');
    writeFileSync(file, `${JSON.stringify({ type: 'session_meta', payload: { id: 'thread' } })}\n`);
    const seen: CodexResponseUsage[] = [];
    const follower = new SessionUsageFollower(file, 0, (usage) => seen.push(usage));
    for (let i = 1; i <= 40; i++) {
      // Each response's line lands while two polls are under way, as the 100 ms timer and the
      // last look after the process ended can be; some lines in two parts.
      const line = record(`resp_${i}`, i);
      if (i % 3 === 0) {
        appendFileSync(file, line.slice(0, 25));
        await Promise.all([follower.poll(), follower.poll()]);
        appendFileSync(file, line.slice(25));
      } else appendFileSync(file, line);
      await Promise.all([follower.poll(), follower.poll()]);
    }
    await follower.poll();
    assert.deepEqual(
      seen.map((u) => `${u.responseId}:${u.output}`),
      Array.from({ length: 40 }, (_, k) => `resp_${k + 1}:${k + 1}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
