// Follow-up runs on a pull request's branch (issue 39 parts 4 and 5): what they leave behind when
// they do not complete, and what they build on when a person pushed to the branch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalOf } from '../../support/engine/harness';
import { say } from '../../support/engine/agentScript';
import { BACKEND_CI_FIXED, isCiFix, productFollowUpAgents } from '../../support/engine/productChanges';
import { checkRunCompleted, issueCommented } from '../../support/githubWebhooks';
import { call, githubWorld, REPO, signInToPortal } from '../../support/github/githubKit';
import { BRANCH, fileAt, ISSUE, onPull, parentOf, pullRequestOpened } from '../../support/github/followUpKit';

const failingTest = [
  '##[group]Run npm test',
  'not ok 3 - list() sorts prices as numbers',
  '    at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)',
  '##[error]Process completed with exit code 1.',
].join('\n');

test("GitHub follow-up: a CI fix that stops leaves no worktree behind (nothing in git worktree list); what its agent wrote is kept on a local branch on the pull request's head, not pushed, and said on the pull request", async () => {
  const agents = productFollowUpAgents();
  const HALF_FIX = '// half a fix: prices compared as strings still\n';
  const w = await githubWorld(
    {
      ...agents,
      backend: (call) =>
        isCiFix(call.task)
          ? call.turn === 0
            ? say.write({ 'server/entities/product.js': HALF_FIX })
            : say.blocked('The test needs a database this machine cannot reach.')
          : agents.backend!(call),
    },
    { alice: 'admin' },
  );
  try {
    const pull = await pullRequestOpened(w);
    w.api.setJobLog(501, failingTest);
    await w.deliver(
      'check_run',
      checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure', workflowRun: 9001 }),
    );
    const said = await w.until('the stop said', () => onPull(w, pull, 'Nothing was pushed')[0]);
    const follow = w.github.channel.store.ofPull(pull.number)!;
    assert.equal(follow.status, 'stopped');
    const kept = `${BRANCH}-unfinished-${follow.runId}`;
    assert.ok(said.body.includes(`kept on the local branch \`${kept}\``), said.body);
    // Its work, one commit on the head it started from; not on GitHub.
    assert.equal(w.h.shop.git('show', `${kept}:server/entities/product.js`), HALF_FIX);
    assert.equal(w.h.shop.git('rev-parse', `${kept}^`).trim(), pull.headSha);
    assert.equal(w.remoteHead(kept), undefined, 'never pushed');
    assert.equal(w.remoteHead(BRANCH), pull.headSha);
    // Its worktree gone, and git knows it.
    const journal = journalOf(w.h.shop, follow.runId);
    const worktree = journal.find((e) => e.type === 'worktree.created')!.path as string;
    assert.equal(existsSync(worktree), false);
    const listed = w.h.shop
      .git('worktree', 'list', '--porcelain')
      .split('\n')
      .filter((line) => line.startsWith('worktree '));
    assert.deepEqual(listed, [`worktree ${w.h.shop.git('rev-parse', '--show-toplevel').trim()}`]);
    assert.deepEqual(
      journal.filter((e) => e.type === 'worktree.branched').map((e) => e.branch),
      [kept],
    );
  } finally {
    await w.close();
  }
});

test("GitHub follow-ups build on a person's commits: a collaborator pushes to the pull request's branch, /orchestrator change (approved in the portal) starts from their commit and fast-forwards over it; their next commit failing CI is fed back too, the fix on top of it", async () => {
  const w = await githubWorld(productFollowUpAgents(), { alice: 'admin' });
  const clone = mkdtempSync(join(tmpdir(), 'orch-gh-person-'));
  try {
    const pull = await pullRequestOpened(w);
    // A person clones, commits a file of their own and pushes to the pull request's branch.
    const person = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Bob', '-c', 'user.email=bob@example.com', ...args], {
        cwd: clone,
        encoding: 'utf8',
      }).trim();
    person('clone', '-q', '-b', BRANCH, w.bare, '.');
    const commitOfTheirs = (file: string, text: string, message: string) => {
      writeFileSync(join(clone, file), text);
      person('add', file);
      person('commit', '-q', '-m', message);
      person('push', '-q', 'origin', `HEAD:refs/heads/${BRANCH}`);
      return person('rev-parse', 'HEAD');
    };
    const theirs = commitOfTheirs('NOTES.md', 'Products: keep prices in cents.\n', 'a note of their own');

    await w.deliver(
      'issue_comment',
      issueCommented(REPO, ISSUE, '/orchestrator change Add a search by name to the Product module', 'alice'),
    );
    const comment = await w.until('the amended spec at the gate', () =>
      w.api.comments.find(
        (c) =>
          c.body.includes('<!-- orchestrator:spec ') &&
          c.body.includes('REQ-3: Search products by name') &&
          c.body.includes('Waiting for approval'),
      ),
    );
    // The portal shows the same gate, and approves there.
    const { port, session } = await signInToPortal(w, 'sam');
    const specId = /<!-- orchestrator:spec (\S+) -->/.exec(comment.body)![1]!;
    const listed = (await call(port, 'GET', '/api/specs', session)).json as {
      id: string;
      github?: { issue: number };
    }[];
    assert.equal(listed.find((s) => s.id === specId)?.github?.issue, ISSUE.number);
    assert.equal(
      (await call(port, 'POST', `/api/specs/${specId}/decision`, session, { action: 'approve' })).status,
      200,
    );
    await w.until('the change pushed', () => onPull(w, pull, 'The change is pushed')[0]);
    const h2 = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, h2), theirs, 'a fast-forward over their commit');
    assert.equal(fileAt(w, h2, 'NOTES.md'), 'Products: keep prices in cents.\n', 'their file kept');
    assert.match(fileAt(w, h2, 'server/entities/product.js'), /function search\(name\)/);
    assert.equal(w.h.shop.git('rev-parse', BRANCH).trim(), h2);

    // Their next commit breaks a test: the failure on their head goes back to the backend, and the fix goes on top of it.
    person('pull', '-q', '--ff-only', 'origin', BRANCH);
    const theirs2 = commitOfTheirs(
      'NOTES.md',
      'Products: keep prices in cents. Sort them as numbers.\n',
      'another note',
    );
    w.api.setJobLog(501, failingTest);
    await w.deliver(
      'check_run',
      checkRunCompleted(
        REPO,
        { ...pull, headSha: theirs2 },
        { id: 501, name: 'test', conclusion: 'failure', workflowRun: 9001 },
      ),
    );
    const sent = await w.until('the backend sent back', () => onPull(w, pull, 'the **backend** layer is sent back')[0]);
    assert.match(sent.body, new RegExp(`on ${theirs2.slice(0, 7)}, a commit someone else pushed to this branch`));
    await w.until('the fix pushed', () => onPull(w, pull, 'The CI fix is pushed')[0]);
    const h3 = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, h3), theirs2);
    assert.equal(fileAt(w, h3, 'NOTES.md'), 'Products: keep prices in cents. Sort them as numbers.\n');
    assert.equal(fileAt(w, h3, 'server/entities/product.js'), BACKEND_CI_FIXED);
  } finally {
    rmSync(clone, { recursive: true, force: true });
    await w.close();
  }
});

test('GitHub follow-up: a change cancelled with /cancel while its amendment waits at the gate leaves no worktree behind; the note says what was kept', async () => {
  const w = await githubWorld(productFollowUpAgents(), { alice: 'admin' });
  try {
    const pull = await pullRequestOpened(w);
    await w.deliver(
      'issue_comment',
      issueCommented(REPO, ISSUE, '/orchestrator change Add a search by name to the Product module', 'alice'),
    );
    await w.until('the amended spec at the gate', () =>
      w.api.comments.find(
        (c) => c.body.includes('REQ-3: Search products by name') && c.body.includes('Waiting for approval'),
      ),
    );
    const follow = w.github.channel.store.ofPull(pull.number)!;
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
    const said = await w.until('the cancel said', () =>
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes(`Run ${follow.runId} cancelled by @alice`)),
    );
    const journal = journalOf(w.h.shop, follow.runId);
    const worktree = journal.find((e) => e.type === 'worktree.created')!.path as string;
    assert.equal(existsSync(worktree), false);
    const listed = w.h.shop
      .git('worktree', 'list', '--porcelain')
      .split('\n')
      .filter((line) => line.startsWith('worktree '));
    assert.equal(listed.length, 1, listed.join('\n'));
    const branched = journal.find((e) => e.type === 'worktree.branched');
    // The amended spec its spec agent wrote is the work kept (never validated, never pushed).
    assert.ok(branched, said.body);
    assert.ok(said.body.includes(`kept on the local branch \`${branched.branch as string}\``), said.body);
    const changed = w.h.shop
      .git('diff', '--name-only', pull.headSha, branched.branch as string)
      .trim()
      .split('\n');
    assert.ok(
      changed.length > 0 && changed.every((file) => file.startsWith('spec/')),
      `only the amended spec: ${changed.join(', ')}`,
    );
    assert.match(
      changed.map((file) => w.h.shop.git('show', `${branched.branch as string}:${file}`)).join('\n'),
      /REQ-3: Search products by name/,
    );
    assert.equal(w.remoteHead(branched.branch as string), undefined);
    assert.equal(w.remoteHead(BRANCH), pull.headSha);
  } finally {
    await w.close();
  }
});
