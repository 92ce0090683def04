// Two humans (or one, twice) deciding one artifact at the same moment, while a slow validation
// runs: `orchestrator task review` processes racing each other and the claimer, on the embedded
// SQLite queue and on PostgreSQL (queue.url). Exactly one decision stands, and the disk matches it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import type { QueueService } from '../../../src/core/queue/queueService';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { buildCli, runCli, type CliResult } from '../../support/cli/cliKit';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';

const pg = usePostgres(buildCli);

const TARGET = 'server/entities/product.js';

/** The shop with a backend validation that takes 1.5 s, on the store asked for. */
async function slowShop(store: 'sqlite' | 'postgres'): Promise<ShopWorkspace> {
  let queue = '';
  if (store === 'postgres') queue = `\nqueue:\n  url: ${await freshDatabase(pg, 'race')}\n`;
  return makeShop({
    config: (yaml) =>
      `${yaml.replace('validate: ["node scripts/check-server.js server"]', 'validate: ["node scripts/slow-check.js", "node scripts/check-server.js server"]')}${queue}`,
    // It says when it starts (in the ignored node_modules: it runs in the sandbox), so a test knows the hold is taken.
    files: {
      'scripts/slow-check.js':
        "require('fs').mkdirSync('node_modules', { recursive: true });\nrequire('fs').writeFileSync('node_modules/.slow-check', '');\nsetTimeout(() => process.exit(0), 1500);\n",
    },
  });
}

/** A task claimed by `agent` with a code artifact awaiting review. */
async function inReview(queue: QueueService): Promise<{ taskId: string; artifactId: string }> {
  const task = await queue.createTask({ title: 'Product entity', description: '' }, 'cli');
  await queue.claim(task.id, 'agent');
  const artifact = await queue.submitArtifact(
    { task_id: task.id, type: 'code', path: TARGET, content: PRODUCT_MODULE },
    'agent',
  );
  return { taskId: task.id, artifactId: artifact.id };
}

/** Resolves once the shop's slow check has started (the approval then holds the artifact). */
async function slowCheckStarted(shop: ShopWorkspace): Promise<void> {
  const marker = join(shop.dir, 'node_modules', '.slow-check');
  try {
    for (let i = 0; i < 1200 && !existsSync(marker); i++) await sleep(25);
    assert.ok(existsSync(marker), 'the slow check never started');
  } finally {
    rmSync(marker, { force: true });
  }
}

const review = (shop: ShopWorkspace, taskId: string, ...flags: string[]) =>
  runCli(['task', 'review', taskId, ...flags, '--json', '--workspace', shop.dir], { cwd: shop.dir });

/** Exactly one decision everywhere it is kept, and the file on disk as that decision says. */
async function assertOneDecision(
  shop: ShopWorkspace,
  queue: QueueService,
  taskId: string,
  results: CliResult[],
): Promise<string> {
  const winners = results.filter((r) => r.code === 0);
  const losers = results.filter((r) => r.code !== 0);
  assert.equal(winners.length, 1, results.map((r) => `${r.code}: ${r.stdout}${r.stderr}`).join('\n'));
  for (const loser of losers) {
    assert.equal(loser.code, 2, loser.stdout + loser.stderr);
    assert.match(loser.stderr, /being decided or was decided by someone else|no artifact awaiting review/);
  }
  const lines = readFileSync(join(shop.dir, '.claude/runs/queue-decisions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 1, `decisions.jsonl: ${JSON.stringify(lines)}`);
  const detail = await queue.detail(taskId);
  assert.equal(detail.artifacts.length, 1);
  assert.equal(detail.artifacts[0]!.decision?.verdict, lines[0].verdict, 'the store and the log agree');
  assert.equal(
    JSON.parse(winners[0]!.stdout.trim()).artifact.decision.verdict,
    lines[0].verdict,
    'the winner was told its decision',
  );
  if (lines[0].verdict === 'approved') {
    assert.equal(shop.read(TARGET), PRODUCT_MODULE);
    assert.equal(detail.status, 'done');
  } else {
    assert.equal(existsSync(join(shop.dir, TARGET)), false, 'rejected, yet written');
    assert.equal(detail.status, 'in_progress');
  }
  return lines[0].verdict as string;
}

for (const store of ['sqlite', 'postgres'] as const) {
  test(`decisions on ${store}: approve ∥ reject and approve ∥ approve during a slow validation: one decision, the disk matches it`, async () => {
    for (const [first, second] of [
      ['--approve', '--reject'],
      ['--reject', '--approve'],
      ['--approve', '--approve'],
    ] as const) {
      const shop = await slowShop(store);
      const queue = await engine.openQueue(shop.dir, { trusted: true });
      try {
        const { taskId } = await inReview(queue);
        const results = await Promise.all([
          review(shop, taskId, first, '--comment', 'first'),
          review(shop, taskId, second, '--comment', 'second'),
        ]);
        await assertOneDecision(shop, queue, taskId, results);
      } finally {
        await queue.close();
        shop.cleanup();
      }
    }
  });

  test(`decisions on ${store}: while an approval validates, the claimer's second submit and another reviewer's rejection are refused; the approval stands`, async () => {
    const shop = await slowShop(store);
    const queue = await engine.openQueue(shop.dir, { trusted: true });
    try {
      const { taskId } = await inReview(queue);
      const approving = review(shop, taskId, '--approve');
      await slowCheckStarted(shop); // the hold is taken and the slow check runs
      await assert.rejects(
        queue.submitArtifact(
          { task_id: taskId, type: 'code', path: TARGET, content: '// replaced while validating\n' },
          'agent',
        ),
        /claim it before submitting work \(your artifact awaits review\)/,
      );
      const rejecting = await review(shop, taskId, '--reject', '--comment', 'too late');
      const approved = await approving;
      assert.equal(await assertOneDecision(shop, queue, taskId, [approved, rejecting]), 'approved');
      assert.equal(approved.code, 0);
    } finally {
      await queue.close();
      shop.cleanup();
    }
  });
}
