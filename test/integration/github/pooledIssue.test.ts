// A run from an issue on the pool of workers (issue 39 with issue 28), on a real PostgreSQL: with
// `queue.url` in the config, the labelled issue is dispatched to the pool (nothing runs in serve);
// a worker (in this process, its own clone) runs it to its spec gate and the run waits in the
// database; the spec is posted on the issue; a reader's /approve is refused, a writer's queues it
// again with that gate approved; the worker completes it and pushes `orchestrator/<slug>` to the
// team's remote; serve brings that branch to GitHub with the token and opens the pull request
// listing every requirement, and edits the spec comment to say who approved. The run starts from
// the repository's HEAD: what the serving checkout holds uncommitted is in neither its base nor its result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { invoiceAgents, ISSUE, REPO } from '../../support/github/githubKit';
import { withPooledGithub } from '../../support/github/pooledGithubKit';

test('GitHub with a pool: a labelled issue runs on a worker, its spec gate on the issue, /approve from a writer queues it again, its result becomes the pull request', async () => {
  await withPooledGithub('ghpool', invoiceAgents(), async ({ w, store, startWorker }) => {
    // What the serving checkout holds uncommitted is not the issue's: the run starts from HEAD.
    writeFileSync(join(w.h.shop.dir, 'draft-of-serve.txt'), 'a half-written idea, never committed\n');
    writeFileSync(join(w.h.shop.dir, 'README.md'), 'edited in the serving checkout, not committed\n');
    const labelled = await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    assert.equal(labelled.status, 202);
    const link = await w.until('the pooled run', () => w.github.channel.store.ofIssue(7));
    assert.equal(link.pooled, true);
    const queued = await store.get(link.runId);
    assert.equal(queued?.status, 'queued');
    assert.equal(queued!.changesCommit, queued!.baseCommit, 'the base is HEAD, no snapshot of the checkout');
    assert.equal(queued!.baseCommit, w.h.shop.git('rev-parse', 'HEAD').trim());
    assert.ok(
      !execFileSync('git', ['ls-tree', '-r', '--name-only', queued!.changesCommit], { cwd: w.bare, encoding: 'utf8' })
        .split('\n')
        .includes('draft-of-serve.txt'),
    );
    assert.match(
      queued!.request,
      /^Add an Invoice entity to the API\n\nInvoices with a name and a price\.\n\n\(GitHub issue #7: /,
    );
    assert.equal(existsSync(join(w.h.shop.dir, '.claude', 'runs', link.runId)), false, 'nothing runs in serve');

    // A worker in its own clone of the team's remote.
    startWorker();

    const spec = await w.until('the spec comment', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('<!-- orchestrator:spec ')),
    );
    assert.match(spec.body, /REQ-1: Invoice module/);
    assert.equal(
      (await store.get(link.runId))?.status,
      'awaiting-approval',
      'waiting in the database, holding no worker',
    );

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'rita'));
    await w.until('the refusal', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('@rita: only collaborators with write access')),
    );
    assert.equal((await store.get(link.runId))?.status, 'awaiting-approval');

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(pull.head, 'orchestrator/invoice-api');
    assert.equal(pull.base, 'main');
    assert.match(pull.body, /^Closes #7$/m);
    assert.ok(pull.body.includes(`<!-- orchestrator:run ${link.runId} -->`));
    for (const id of ['REQ-1', 'REQ-2', 'REQ-1.1', 'REQ-2.1'])
      assert.ok(pull.body.includes(id), `${id} in the pull request's body`);
    const done = await store.get(link.runId);
    assert.equal(done?.status, 'completed');
    assert.equal(w.remoteHead('orchestrator/invoice-api'), done!.resultCommit);
    const result = execFileSync('git', ['ls-tree', '-r', '--name-only', done!.resultCommit!], {
      cwd: w.bare,
      encoding: 'utf8',
    }).split('\n');
    assert.ok(result.includes('server/entities/invoice.js'), `the work is in the result: ${result.join(', ')}`);
    assert.ok(!result.includes('draft-of-serve.txt'), "the serving checkout's uncommitted file is not in the result");
    assert.notEqual(
      execFileSync('git', ['show', `${done!.resultCommit}:README.md`], { cwd: w.bare, encoding: 'utf8' }),
      'edited in the serving checkout, not committed\n',
    );
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(7).find((c) => c.body.includes(`Pull request #${pull.number} opened`)),
    );
    assert.match(w.api.comments.find((c) => c.id === spec.id)!.body, /\*\*approve\*\* by @alice/);
    assert.equal(w.github.channel.store.ofIssue(7)?.status, 'completed');
    assert.equal(existsSync(join(w.h.shop.dir, '.claude', 'runs', link.runId)), false, 'still nothing ran in serve');
  });
});
