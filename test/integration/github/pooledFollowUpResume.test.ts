// Pooled follow-ups that outlive what runs them (issue 39 with issue 28; moved from pooledFollowUps.test.ts): the
// worker fixing a CI failure drains and another resumes it; serve stops while the pool runs it, and finds it done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRunCompleted } from '../../support/githubWebhooks';
import { TEST_KEYS } from '../../support/modelServer';
import { BACKEND_CI_FIXED } from '../../support/engine/productChanges';
import { startGithub } from '../../../src/github';
import { BRANCH, fileAt, onPull, parentOf } from '../../support/github/followUpKit';
import { REPO, SECRET, TOKEN } from '../../support/github/githubKit';
import { backendLog, holdingFirstCiFix, withPooledPullRequest } from '../../support/github/pooledGithubKit';

test("GitHub CI on a pooled run's pull request: the worker fixing it drains mid-fix; another worker resumes the follow-up from the pool's journals (the earlier run's too) and pushes the fix, said once", async () => {
  const { agents, held } = holdingFirstCiFix();
  await withPooledPullRequest(
    'ghpoolhandback',
    async ({ w, store, pull, firstRun, drainFirst, startWorker }) => {
      const h1 = pull.headSha;
      w.api.setJobLog(501, backendLog);
      await w.deliver('check_run', checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure' }));
      await w.until('the fix under way', held);
      const follow = w.github.channel.store.ofPull(pull.number)!;
      const draining = drainFirst();
      held()!();
      await draining;
      assert.equal((await store.get(follow.runId))?.status, 'queued', 'handed back');
      startWorker('gh-worker-2');
      await w.until('the fix pushed', () => onPull(w, pull, 'The CI fix is pushed')[0]);
      const h2 = w.remoteHead(BRANCH)!;
      assert.equal(parentOf(w, h2), h1, 'one commit on the head');
      assert.equal(fileAt(w, h2, 'server/entities/product.js'), BACKEND_CI_FIXED);
      const pooled = (await store.get(follow.runId))!;
      assert.deepEqual(
        [pooled.status, pooled.worker, pooled.attempts, pooled.flags.followUp?.of],
        ['completed', 'gh-worker-2', 2, firstRun],
      );
      assert.equal(onPull(w, pull, 'The CI fix is pushed').length, 1);
      assert.equal(w.github.channel.store.ofPull(pull.number)?.status, 'completed');
      // Traced at its COMPLETE over both runs on the resuming worker too (it read the earlier run's journal):
      // the matrix of this run's review, not a stale one, and nothing the engine could not read.
      const journal = await store.events(follow.runId);
      const matrix = journal.filter((e) => e.type === 'trace.updated').at(-1)!.matrix as {
        rows: { review: string }[];
        runIds: string[];
      };
      assert.deepEqual(matrix.runIds, [firstRun, follow.runId]);
      assert.ok(
        matrix.rows.every((row) => row.review.startsWith('skipped: 1 file(s) changed')),
        JSON.stringify(matrix.rows.map((r) => r.review)),
      );
      assert.deepEqual(
        journal
          .filter(
            (e) =>
              e.type === 'log' && e.level === 'warn' && /could not be updated|not recorded/.test(String(e.message)),
          )
          .map((e) => e.message),
        [],
      );
    },
    agents,
  );
});

test("GitHub CI on a pooled run's pull request: serve stops while the follow-up runs on the pool; started again, it finds the follow-up completed there and pushes and says its fix, once", async () => {
  const { agents, held } = holdingFirstCiFix();
  await withPooledPullRequest(
    'ghpoolrestart',
    async ({ w, store, pull }) => {
      w.api.setJobLog(501, backendLog);
      await w.deliver('check_run', checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure' }));
      await w.until('the fix under way', held);
      const follow = w.github.channel.store.ofPull(pull.number)!;
      await w.github.close();
      held()!();
      for (let i = 0; i < 1200 && (await store.get(follow.runId))?.status !== 'completed'; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal((await store.get(follow.runId))?.status, 'completed', 'completed on the pool while serve was away');
      assert.equal(onPull(w, pull, 'The CI fix is pushed').length, 0);

      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_TOKEN: TOKEN,
      };
      const again = await startGithub(w.h.shop.dir, env, (line) => w.lines.push(line), { baseURL: w.h.api.url });
      try {
        const said = await w.until('the fix said after the restart', () => onPull(w, pull, 'The CI fix is pushed')[0]);
        const h2 = w.remoteHead(BRANCH)!;
        assert.equal(parentOf(w, h2), pull.headSha);
        assert.ok(said.body.includes(h2.slice(0, 7)));
        assert.deepEqual(
          [
            again.github!.channel.store.ofPull(pull.number)?.status,
            again.github!.channel.store.ofPull(pull.number)?.pull?.headSha,
          ],
          ['completed', h2],
        );
      } finally {
        await again.github?.close();
      }
      assert.equal(onPull(w, pull, 'The CI fix is pushed').length, 1, 'said once');
    },
    agents,
  );
});
