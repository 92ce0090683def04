// github.* events survive `serve` killed with kill -9 (issue 39): an event recorded while the
// engine does not hold the run's journal yet (the run waits for a run slot) is on disk in the
// channel's outbox, and joins the run's journal once when serve starts again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCommented, issueLabeled, signDelivery } from '../../support/githubWebhooks';
import { reply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import { entityFile, entityModule } from '../../support/engine/worktreeFeatures';
import { journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { GithubStore } from '../../../src/github/store';
import { invoiceAgents, ISSUE, REPO, SECRET } from '../../support/github/githubKit';
import { restartWorld } from '../../support/github/restartKit';

const SECOND = { ...ISSUE, number: 8, title: 'Add invoices, again' };

test("GitHub: a github.* event recorded while its run waits for a run slot is durable: serve killed with kill -9 then, the event is in the run's journal once after the restart; the resume note is not said again in the same state", async () => {
  const agents = invoiceAgents();
  // The backend's first answers do not come while the serves are killed around them: the runs stay implementing.
  const w = await restartWorld({
    ...agents,
    backend: (call) =>
      call.turn === 0
        ? reply.slow(say.write({ [entityFile('Invoice')]: entityModule('Invoice') }), { beforeMs: 120_000 })
        : agents.backend!(call),
  });
  const configFile = join(w.h.shop.dir, '.claude/orchestrator.yaml');
  const concurrentRuns = (n: number) =>
    writeFileSync(configFile, withLimit('concurrentRuns', n)(readFileSync(configFile, 'utf8')));
  const store = () => new GithubStore(w.h.shop.dir);
  const notes = () => w.api.comments.filter((c) => c.body.includes('was resumed after serve restarted')).length;
  const resumedLinks = (runId: string) =>
    journalOf(w.h.shop, runId).filter(
      (e) => e.type === 'github.issue.linked' && e.detail === 'resumed after serve restarted',
    ).length;
  const backendAsked = () => w.h.callsOf('backend').length;
  try {
    const first = w.serve();
    for (const issue of [ISSUE, SECOND])
      assert.equal(
        (await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, issue, 'orchestrator', 'alice'))))
          .status,
        202,
      );
    await w.until('both runs parked at their gates', () =>
      [ISSUE, SECOND].every((issue) => store().ofIssue(issue.number)?.specCommentId !== undefined),
    );
    for (const issue of [ISSUE, SECOND])
      assert.equal(
        (
          await w.deliver(
            first,
            signDelivery(SECRET, 'issue_comment', issueCommented(REPO, issue, '/approve', 'alice')),
          )
        ).status,
        202,
      );
    await w.until('both backends at work', () => backendAsked() === 2);
    const runs = [store().ofIssue(ISSUE.number)!.runId, store().ofIssue(SECOND.number)!.runId];
    first.child.kill('SIGKILL');
    await first.exited;

    // One run slot from now on: resumed, one run holds it implementing, the other waits for it
    // with its journal not the engine's yet.
    concurrentRuns(1);
    const second = w.serve();
    await w.until(
      'both issues told of the resume, and one backend asked again',
      () => notes() === 2 && backendAsked() === 3,
    );
    second.child.kill('SIGKILL');
    await second.exited;
    // One resumed run's github.issue.linked went to its journal, the other's waited with the run.
    assert.deepEqual(runs.map(resumedLinks).sort(), [0, 1]);

    const third = w.serve();
    await w.until('a backend asked again', () => backendAsked() === 4);
    // Serve 2's events both in the journals, once each; serve 3's for the run holding the slot.
    const counts = runs.map(resumedLinks).sort();
    assert.deepEqual(counts, [1, 2], `resumed links per run: ${counts.join(', ')}`);
    assert.equal(notes(), 2, 'each issue told once: the second restart finds the runs in the same state');
    third.child.kill('SIGKILL');
    await third.exited;

    // Serve 3's waiting event joins its journal at the next start, and serve 2's are not added twice.
    concurrentRuns(3);
    const fourth = w.serve();
    await w.until('both runs resumed again', () => runs.every((runId) => resumedLinks(runId) === 3));
    assert.deepEqual(runs.map(resumedLinks), [3, 3]);
    fourth.child.kill('SIGTERM');
    assert.equal((await fourth.exited).code, 0, fourth.output());
  } finally {
    await w.close();
  }
});
