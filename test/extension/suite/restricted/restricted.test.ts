// Restricted Mode (the runner opens this workspace with workspace trust on and not granted):
// nothing from the workspace runs. The runner prefixed every sync and validate command of the
// workspace's .claude/orchestrator.yaml with one that appends to ORCH_TEST_RAN_LOG, so any of
// them running leaves that file behind. A run may still write its spec (no workspace command
// is involved), but approving it — which would validate — is refused.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../../bench/support/productFeature';
import { api, requireApi } from '../../support/api';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, git, wsPath } from '../../support/files';
import { activated, run, start, until, view, within } from '../../support/host';
import { userPerTest } from '../../support/userPerTest';

const RAN_LOG = process.env.ORCH_TEST_RAN_LOG ?? '.claude/commands-ran.log';
const RESTRICTED = /Restricted Mode does not allow/;

suite('Restricted Mode', function () {
  this.timeout(90_000);

  suiteSetup(async function () {
    requireApi(this);
    await activated();
  });
  const user = userPerTest({ endRuns: true });

  test('the workspace is not trusted, and the view state knows it', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(view().trusted, false);
    assert.deepEqual(
      (await activated()).getMcpServers(),
      [],
      "no MCP server is offered: approved work would run the workspace's validation",
    );
    assert.equal(exists(RAN_LOG), false);
  });

  test('with runs.dispatch: pool, New Feature is refused before anything is asked, pushed or queued', async () => {
    const config = wsPath('.claude/orchestrator.yaml');
    const original = readFileSync(config, 'utf8');
    // A server the workspace names: never contacted (port 1 would refuse anyway, and the refusal comes first).
    writeFileSync(
      config,
      `${original}\nqueue:\n  url: postgres://postgres@127.0.0.1:1/pool\nruns:\n  dispatch: pool\n`,
    );
    try {
      const from = await api.count();
      await vscode.commands.executeCommand('orchestrator.newFeature', PRODUCT_REQUEST);
      const warnings = user().messages('warn');
      assert.equal(warnings.length, 1, JSON.stringify(user().shown));
      assert.match(warnings[0]!.message, /New Feature \(runs\.dispatch: pool\) runs git in this workspace/);
      assert.match(warnings[0]!.message, RESTRICTED);
      assert.equal(
        user()
          .messages('info')
          .some((m) => /Sent to the pool/.test(m.message)),
        false,
      );
      assert.equal(view().busy, false, 'a local run started');
      assert.deepEqual(await api.since(from), [], 'a model was called');
      assert.equal(exists(RAN_LOG), false);
    } finally {
      writeFileSync(config, original);
    }
  });

  test('Sync Registry explains why it cannot run and runs nothing', async () => {
    await vscode.commands.executeCommand('orchestrator.syncRegistry');
    const warnings = user().messages('warn');
    assert.equal(warnings.length, 1, JSON.stringify(user().shown));
    assert.match(warnings[0]!.message, /Sync Registry runs commands from this workspace/);
    assert.match(warnings[0]!.message, RESTRICTED);
    assert.deepEqual(warnings[0]!.items, ['Manage Workspace Trust']);
    assert.equal(view().busy, false);
    assert.equal(exists(RAN_LOG), false, 'a sync command ran');
  });

  test('a run writes its spec, but approving it is refused: no layer agent, no validate', async () => {
    await api.scenario({ name: 'product' });
    const from = await api.count();
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    assert.ok(exists(pending.path), 'the spec was not written');
    assert.equal(exists(RAN_LOG), false, 'the run ran the sync commands');

    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);
    const refusal = user()
      .messages('warn')
      .find((m) => RESTRICTED.test(m.message));
    assert.ok(refusal, JSON.stringify(user().shown));
    assert.match(refusal.message, /Approve and implement/);
    // Still waiting for a decision the workspace cannot act on.
    assert.equal(view().pendingDecision?.id, pending.id);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual([...new Set((await api.since(from)).map((q) => q.agent))], ['spec'], 'a layer agent ran');

    await vscode.commands.executeCommand('orchestrator.cancelRun');
    await within(done, 20_000, 'New Feature after Cancel Run');
    assert.equal(exists(RAN_LOG), false, 'a sync or validate command ran');
    assert.equal(exists('server/entities/product.js'), false);
    assert.notEqual(run().status, 'completed');
  });

  test('Approve Spec on a saved spec, Resume Run and Allow Untested and Resume are refused', async () => {
    const saved = await until(
      () => view().specs.find((s) => !/complete/i.test(s.status)),
      10_000,
      'the saved spec in the list',
    );
    // The list may still be catching up with runs of earlier tests: judge by start time, not count.
    const t0 = Date.now();
    const from = await api.count();
    await vscode.commands.executeCommand('orchestrator.approveSpec', saved.id);
    await vscode.commands.executeCommand('orchestrator.resumeRun', view().runs[0]?.runId ?? 'none');
    // The waiver of untested requirements (a workflow step's Allow untested…) resumes the run: refused too.
    await vscode.commands.executeCommand('orchestrator.allowUntested', view().runs[0]?.runId ?? 'none', 'F');
    const refusals = user()
      .messages('warn')
      .filter((m) => RESTRICTED.test(m.message));
    assert.equal(refusals.length, 3, JSON.stringify(user().shown));
    assert.match(refusals[0]!.message, /Approve Spec/);
    assert.match(refusals[1]!.message, /Resume Run/);
    assert.match(refusals[2]!.message, /Allow Untested and Resume/);
    assert.equal(await api.count(), from, 'a model request was made');
    assert.equal(view().busy, false);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      view().runs.filter((r) => Date.parse(r.started) >= t0),
      [],
      'a run was started',
    );
    assert.equal(exists(RAN_LOG), false);
  });

  test('Show Changes and Rollback Run are refused and run no git (the repository could execute its own code)', async () => {
    // The repository is rigged: git would run this fsmonitor hook on `git add`, and the
    // reference-transaction hook on any ref update.
    const marker = join(tmpdir(), `orch-restricted-git-${process.pid}`);
    const hook = join(tmpdir(), `orch-restricted-hook-${process.pid}.sh`);
    writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(hook, 0o755);
    git('config', 'core.fsmonitor', hook);
    writeFileSync(wsPath('.git/hooks/reference-transaction'), `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(wsPath('.git/hooks/reference-transaction'), 0o755);
    try {
      const runId = view().runs[0]?.runId ?? 'none';
      await vscode.commands.executeCommand('orchestrator.showChanges', runId);
      await vscode.commands.executeCommand('orchestrator.rollbackRun', runId);
      const refusals = user()
        .messages('warn')
        .filter((m) => RESTRICTED.test(m.message));
      assert.equal(refusals.length, 2, JSON.stringify(user().shown));
      assert.match(refusals[0]!.message, /Show Changes runs git in this workspace/);
      assert.match(refusals[1]!.message, /Rollback Run runs git in this workspace/);
      assert.equal(existsSync(marker), false, 'git ran in Restricted Mode');
    } finally {
      git('config', '--unset', 'core.fsmonitor');
      rmSync(wsPath('.git/hooks/reference-transaction'), { force: true });
      rmSync(marker, { force: true });
      rmSync(hook, { force: true });
    }
  });
});
