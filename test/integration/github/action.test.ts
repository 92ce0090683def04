import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCli, runCli } from '../../support/cli/cliKit';
import { apiKeyOf } from '../../support/messagesApi/builders';
import { BACKEND_CI_FIXED, productFollowUpAgents } from '../../support/engine/productChanges';
import {
  checkRunCompleted,
  issueCommented,
  issueLabeled,
  pullRequestReviewed,
  type PullRef,
} from '../../support/githubWebhooks';
import { invoiceAgents, ISSUE as INVOICE_ISSUE, REPO, TOKEN } from '../../support/github/githubKit';
import { actionWorld, MODEL_KEY, objectsOf, type ActionWorld, type JobResult } from '../../support/github/actionKit';
import { BRANCH, ISSUE } from '../../support/github/followUpKit';

// Issue 48: the GitHub flow as a GitHub Action. Each event is one job run as a runner runs it (a fresh
// folder, a depth-1 clone, the event file, the runner's variables and the action's inputs); nothing
// stays on disk between jobs: the issue's state lives on the remote under refs/orchestrator/state/12.

const STATE = `refs/orchestrator/state/${ISSUE.number}`;

async function waitFor(test: () => boolean): Promise<void> {
  for (let i = 0; i < 1200 && !test(); i++) await sleep(50);
}

describe("GitHub Action: one job per event, the issue's state on the remote", () => {
  let w: ActionWorld;
  let pull: PullRef & { url: string };
  let held = false;
  let release = () => {};
  // The last issue's spec agent: another spec, so its id is not the first issue's.
  let invoices = false;
  const ok = (job: JobResult, status: string) => {
    assert.equal(job.outputs.status, status, job.log);
    assert.equal(job.code, 0, job.log);
    // actions/checkout's persisted token stays where no run starts; a job that reads the state removes it.
    const started = !(status === 'ignored' || status === 'refused') || job.log.includes('State:');
    assert.deepEqual(
      job.leaks.filter((file) => started || !file.endsWith('/.git/config')),
      [],
      'no secret in any file of the job',
    );
  };
  const stateHas = (text: string) =>
    w.h.shop.git('--git-dir', w.bare, 'cat-file', '-p', `${STATE}:state.json`).includes(text);

  before(async () => {
    buildCli();
    // The backend's next call may be held unanswered: a job is killed while it waits.
    const agents = productFollowUpAgents();
    const backend = agents.backend!;
    agents.backend = (call) =>
      held ? new Promise((answer) => (release = () => answer(backend(call)))) : backend(call);
    const spec = agents.spec!;
    const invoiceSpec = invoiceAgents().spec!;
    agents.spec = (call) => (invoices ? invoiceSpec(call) : spec(call));
    w = await actionWorld(agents, { alice: 'admin', rita: 'triage' });
  });
  after(() => w?.close());

  test('an event the action does not act on: ignored, nothing read or written', async () => {
    const job = await w.job('push', { ref: 'refs/heads/main', repository: { full_name: 'acme/shop' } });
    ok(job, 'ignored');
    assert.equal(w.api.requests.length, 0, 'not even GitHub asked');
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'for-each-ref', 'refs/orchestrator/'), '', 'no state made');
  });

  // (In this process: the vendored Action, as a runner starts it, runs a labelled issue in the last test but one, and the Action's tree a killed job below.)
  test('a labelled issue: the spec comment with the budget cap, the state ref, the job ends waiting', async () => {
    const job = await w.job('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    ok(job, 'awaiting-approval');
    const spec = w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '))!;
    assert.ok(spec, job.log);
    assert.match(spec.body, /Waiting for approval/);
    assert.match(spec.body, /Budget: at most \$3\.00 for this issue's runs across all their jobs \(`max-budget-usd`\)/);
    assert.equal(job.outputs['spec-id'], /<!-- orchestrator:spec (\S+) -->/.exec(spec.body)![1]);
    assert.match(job.outputs['run-id']!, /^\d{4}/);
    // The state: a ref of its own, not a branch; the parked link, the run's journal, its work on its base.
    assert.match(
      w.h.shop.git('--git-dir', w.bare, 'for-each-ref', '--format=%(refname)', 'refs/orchestrator/'),
      new RegExp(`^${STATE}$`, 'm'),
    );
    assert.equal(
      w.h.shop.git('--git-dir', w.bare, 'for-each-ref', 'refs/heads/').split('\n').filter(Boolean).length,
      1,
      'only main',
    );
    assert.ok(stateHas('"parked"') && stateHas('"status": "waiting"'));
    assert.match(
      w.h.shop.git('--git-dir', w.bare, 'ls-tree', '--name-only', '-r', STATE),
      new RegExp(`journals/${job.outputs['run-id']}\\.jsonl`),
    );
    // A line per phase and layer in the log; the summary says what waits.
    assert.match(job.log, /SPEC/);
    assert.match(job.summary, /awaiting-approval/);
    assert.equal(w.h.callsOf('backend').length, 0, 'nothing implemented before the approval');
  });

  test("a reader's /approve: refused in a comment, no model call, the job succeeds", async () => {
    const calls = w.h.calls.length;
    const job = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'rita'));
    ok(job, 'refused');
    assert.ok(
      w.api
        .commentsOn(ISSUE.number)
        .some((c) => c.body.includes('@rita: only collaborators with write access may decide')),
    );
    assert.equal(w.h.calls.length, calls);
    assert.ok(stateHas('"status": "waiting"'), 'still waiting');
  });

  test("two writers' /approve at once: one job continues the run to its pull request, the other loses the lease and does nothing", async () => {
    const jobs = await Promise.all([
      w.job('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice')),
      w.job('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice')),
    ]);
    const done = jobs.find((j) => j.outputs.status === 'completed')!;
    assert.ok(done, jobs.map((j) => `${j.outputs.status}: ${j.log}`).join('\n----\n'));
    const other = jobs.find((j) => j !== done)!;
    ok(done, 'completed');
    ok(other, 'ignored');
    assert.match(other.log, /moved its state/);
    assert.equal(w.api.pulls.length, 1, 'one pull request');
    const made = w.api.pulls[0]!;
    assert.equal(done.outputs['pull-request'], made.html_url);
    assert.equal(made.head, BRANCH);
    assert.match(made.body, /^Closes #12$/m);
    // One run: the other job's log has no step of it, and its state push (the lease) was refused before any.
    assert.doesNotMatch(other.log, /spec approved|: implement/);
    assert.equal(done.log.match(/backend: implement/g)?.length, 1);
    assert.equal(w.api.comments.filter((c) => c.body.includes('**approve** by @alice')).length, 1, 'decided once');
    // The branch holds the run's work on main; main is untouched; the summary has the matrix and its proof columns.
    const head = w.remoteHead(BRANCH)!;
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${head}^`).trim(), w.remoteHead('main'));
    assert.match(w.h.shop.git('--git-dir', w.bare, 'show', `${head}:server/entities/product.js`), /module\.exports/);
    assert.match(
      done.summary,
      /\| Requirement \| Criterion \| Files \| Checks \| Tests \| Review \| Proof \| Red on base \| Green after \| Strength \|\n/,
    );
    pull = { number: made.number, branch: BRANCH, headSha: head, url: made.html_url };
  });

  test('a failing check run on the pull request: the owning layer fixed, the fix pushed as a fast-forward', async () => {
    w.api.setJobLog(
      501,
      [
        '##[group]Run npm test',
        'not ok 3 - list() sorts prices as numbers',
        '    at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)',
        '##[error]Process completed with exit code 1.',
      ].join('\n'),
    );
    const job = await w.job(
      'check_run',
      checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure' }),
    );
    ok(job, 'completed');
    const head = w.remoteHead(BRANCH)!;
    assert.notEqual(head, pull.headSha);
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${head}^`).trim(), pull.headSha, 'a fast-forward');
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'show', `${head}:server/entities/product.js`), BACKEND_CI_FIXED);
    assert.ok(w.api.commentsOn(pull.number).some((c) => c.body.includes('the **backend** layer is sent back')));
    assert.ok(w.api.commentsOn(pull.number).some((c) => c.body.includes('The CI fix is pushed')));
    pull = { ...pull, headSha: head };
  });

  test('changes requested in a review: the amended spec waits in the spec comment, the job ends', async () => {
    const job = await w.job(
      'pull_request_review',
      pullRequestReviewed(REPO, pull, {
        state: 'changes_requested',
        body: 'Add a search by name to the Product module.',
        author: 'alice',
      }),
    );
    ok(job, 'awaiting-approval');
    const spec = w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('<!-- orchestrator:spec '));
    assert.equal(spec.length, 1, 'the same spec comment, edited');
    assert.match(spec[0]!.body, /REQ-3: Search products by name/);
    assert.match(spec[0]!.body, /Waiting for approval/);
    assert.equal(w.remoteHead(BRANCH), pull.headSha, 'nothing pushed before the approval');
  });

  test('a job killed while its run works (kill -9, its runner lost): workflow_dispatch with the spec takes the run up from the state ref, the approval kept', async () => {
    const calls = w.h.callsOf('backend').length;
    held = true;
    const killed = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'), {
      bundle: true,
      // Killed once the run's first layer agent waits for the model (its decision pushed with the state before it started).
      child: (child) => void waitFor(() => w.h.callsOf('backend').length > calls).then(() => child.kill('SIGKILL')),
    });
    held = false;
    release();
    assert.equal(killed.code, null, 'killed');
    assert.ok(stateHas('"status": "running"') && stateHas('"decided"'), 'the state says the run goes, decided');
    const specId = /<!-- orchestrator:spec (\S+) -->/.exec(
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '))!.body,
    )![1]!;
    const job = await w.job('workflow_dispatch', {
      inputs: { 'spec-id': specId },
      ref: 'refs/heads/main',
      repository: { full_name: 'acme/shop' },
    });
    ok(job, 'completed');
    assert.match(job.log, /resumes? after the job running it stopped/);
    const head = w.remoteHead(BRANCH)!;
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${head}^`).trim(), pull.headSha, 'a fast-forward');
    assert.match(
      w.h.shop.git('--git-dir', w.bare, 'show', `${head}:server/entities/product.js`),
      /function search\(name\)/,
    );
    assert.ok(w.api.commentsOn(pull.number).some((c) => c.body.includes('The change is pushed')));
  });

  test('/cancel while a run works in another job: the cancelling job marks the state, the working job finds the mark at its next step and stops its agents, nothing pushed', async () => {
    const head = w.remoteHead(BRANCH)!;
    const onHead = { ...pull, headSha: head };
    w.api.setJobLog(
      502,
      [
        'not ok 1 - search() ignores case',
        '    at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:20:3)',
      ].join('\n'),
    );
    const calls = w.h.callsOf('backend').length;
    const fixesSaid = () => w.api.commentsOn(pull.number).filter((c) => c.body.includes('The CI fix is pushed')).length;
    const said = fixesSaid();
    const beatOf = () =>
      (
        JSON.parse(w.h.shop.git('--git-dir', w.bare, 'cat-file', '-p', `${STATE}:state.json`)) as {
          beat?: { job: string };
        }
      ).beat?.job;
    const beatBefore = beatOf();
    held = true;
    const working = w.job(
      'check_run',
      checkRunCompleted(REPO, onHead, { id: 502, name: 'test', conclusion: 'failure' }),
    );
    let stopped: JobResult;
    try {
      // Its layer agent waits for the model, its state says the run goes here.
      await waitFor(
        () => w.h.callsOf('backend').length > calls && beatOf() !== beatBefore && stateHas('"status": "running"'),
      );
      const cancel = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
      ok(cancel, 'stopped');
      assert.ok(
        w.api
          .commentsOn(ISSUE.number)
          .some((c) => c.body.includes('cancelled by @alice: the job running it stops its agents at its next step')),
      );
    } finally {
      held = false;
      release();
      stopped = await working;
    }
    ok(stopped, 'stopped');
    assert.match(stopped.log, /Run cancelled by @alice \(another job marked the issue's state\): its agents stop here/);
    assert.equal(w.remoteHead(BRANCH), head, 'nothing pushed');
    assert.equal(fixesSaid(), said, 'no fix said');
  });

  test("a fork's pull request: refused in a comment, no model call, the job succeeds", async () => {
    const calls = w.h.calls.length;
    const fork = pullRequestReviewed(
      REPO,
      { number: 77, branch: 'main', headSha: 'a'.repeat(40) },
      { state: 'changes_requested', body: 'Please implement this.', author: 'alice' },
    );
    (fork.pull_request as Record<string, unknown>).head = {
      ref: 'main',
      sha: 'a'.repeat(40),
      repo: { full_name: 'mallory/shop' },
    };
    const job = await w.job('pull_request_review', fork);
    ok(job, 'refused');
    assert.match(w.api.commentsOn(77)[0]!.body, /another repository \(`mallory\/shop`, a fork\)/);
    assert.equal(w.h.calls.length, calls, 'no model call');
  });

  // Last: from here on main holds megabytes of bundles, which every later job would clone and check out.
  test('the Action as `orchestrator init --github-action` vendors it, committed, run from the checkout as a runner runs `uses: ./.github/actions/orchestrator`: a labelled issue gets its spec comment', async () => {
    const init = await runCli(['init', '--github-action'], { cwd: w.h.shop.dir, apiKey: null });
    assert.equal(init.code, 0, init.stderr);
    assert.match(
      init.stdout,
      /^created \.github\/actions\/orchestrator\/: the Action and the CLI its checks run, \d+ files, [\d.]+ MB/m,
    );
    assert.match(init.stdout, /^created \.github\/workflows\/orchestrator\.yml: /m);
    // Stored and sent without compression or deltas, which would only cost this test time.
    for (const dir of [
      ['-C', w.h.shop.dir],
      ['--git-dir', w.bare],
    ])
      for (const [key, value] of [
        ['core.compression', '0'],
        ['pack.window', '0'],
      ])
        w.h.shop.git(...dir, 'config', key!, value!);
    w.h.shop.git('add', '.github');
    w.h.shop.git('commit', '-q', '-m', 'The Orchestrator Action, vendored');
    w.h.shop.git('push', '-q', w.bare, 'main:refs/heads/main');
    invoices = true;
    const job = await w.job('issues', issueLabeled(REPO, INVOICE_ISSUE, 'orchestrator', 'alice'), {
      vendored: '.github/actions/orchestrator',
    });
    invoices = false;
    ok(job, 'awaiting-approval');
    const spec = w.api.commentsOn(INVOICE_ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '));
    assert.ok(spec, job.log);
    assert.match(spec.body, /Invoice/);
    assert.match(spec.body, /Waiting for approval/);
    assert.equal(job.outputs['spec-id'], /<!-- orchestrator:spec (\S+) -->/.exec(spec.body)![1]);
  });

  test('no secret anywhere: not in the logs, summaries, outputs, comments, the state ref, the model requests', () => {
    // The runner reads a secret's `::add-mask::` line and hides it: the one line that carries it, on purpose.
    const said = w.said
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    const everything = [...said, ...w.api.comments.map((c) => c.body), objectsOf(w.bare)].join('\n');
    assert.ok(!everything.includes(TOKEN), 'the token');
    assert.ok(!everything.includes(MODEL_KEY), 'the model key');
    assert.match(w.said.join('\n'), /::add-mask::/);
    for (const request of w.h.api.requests) {
      assert.ok(!JSON.stringify(request).includes(TOKEN), 'the token in no model request');
      assert.ok(!JSON.stringify(request.body).includes(MODEL_KEY), 'the key only in its header');
      assert.equal(apiKeyOf(request), MODEL_KEY, "the input's key is the one the agents used");
    }
    for (const request of w.api.requests) assert.ok(!request.body.includes(TOKEN) && !request.path.includes(TOKEN));
    assert.ok(w.git.requests.every((line) => !line.includes(TOKEN)));
  });
});
