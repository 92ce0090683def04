// Issue 38 with `runs.dispatch: pool` (issue 28), on a real PostgreSQL (the runner's,
// ORCH_TEST_PG_URL) and a bare git repository as the team's remote: `@orchestrator /approve` of a
// saved spec, typed in the Chat view, queues the run in the pool by Approve Spec's path
// (sendToPool) instead of implementing it here: the chat names the pooled run, the pool holds it
// queued (kind approve, the spec's id, `--attempts 2` in its flags: issue 47), `orchestrator_runStatus` and `/status` list it among the pool's runs,
// and nothing ran in this window (no model call, no new journal, the spec still saved).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Pg from 'pg';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../../bench/support/productFeature';
import { api } from '../../support/api';
import { askInNewChat, chatOnScriptedModel, invoke, markdown, newest, textOf, transcripts } from '../../support/chat';
import { git, wsPath } from '../../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../../support/featureRun';
import { run, until, view, within } from '../../support/host';
import { userPerTest } from '../../support/userPerTest';

interface StatusRun {
  runId?: string;
  kind?: string;
  status: string;
  specId?: string;
  dispatch?: string;
  live: boolean;
}

const runStatus = async (input: object): Promise<{ runs: StatusRun[]; poolError?: string }> =>
  JSON.parse(textOf(await invoke('orchestrator_runStatus', input)));
const specStatus = async (specId: string): Promise<string | undefined> =>
  (
    JSON.parse(textOf(await invoke('orchestrator_listSpecs', {}))) as { specs: { id: string; status: string }[] }
  ).specs.find((x) => x.id === specId)?.status;
/** The pooled run's flags as its worker reads them, from the pool's own table (pg resolved at run time: the test bundle does not carry it). */
async function poolFlags(url: string, runId: string): Promise<Record<string, unknown> | undefined> {
  const { Client } = createRequire(__filename)('pg') as typeof Pg;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query<{ flags: Record<string, unknown> }>('SELECT flags FROM pool_runs WHERE run_id = $1', [runId])
    ).rows[0]?.flags;
  } finally {
    await client.end();
  }
}
const journals = (): string[] =>
  readdirSync(wsPath('.claude/runs'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

suite('chat: runs.dispatch: pool', function () {
  this.timeout(240_000);
  let url: string;

  suiteSetup(async function () {
    await readyForARun(this);
    url = process.env.ORCH_TEST_PG_URL ?? '';
    assert.ok(
      url,
      'ORCH_TEST_PG_URL is not set: the runner starts PostgreSQL for the chat session (test/extension/runner/sessions.ts)',
    );
    await chatOnScriptedModel(this);
  });
  setup(() => {
    git('checkout', '--', '.');
  });
  const user = userPerTest({ user: userApprovingSchemaChanges, endRuns: true });

  test('/approve --attempts 2 of a saved spec queues the run in the pool with them, runs nothing here; orchestrator_runStatus and /status list it', async () => {
    // A saved spec, written here by the spec agent before the workspace sends its runs to the pool.
    await api.scenario({ name: 'product' });
    const { specId } = JSON.parse(
      textOf(await within(invoke('orchestrator_startFeature', { request: PRODUCT_REQUEST }), 120_000, 'the tool call')),
    ) as { specId: string };
    await vscode.commands.executeCommand('orchestrator.saveSpec', specId);
    await until(() => !view().busy, 30_000, 'the run to end saved');
    const savedStatus = await specStatus(specId);
    assert.ok(savedStatus, `${specId} is not listed`);
    const localRun = run().runId;

    const config = wsPath('.claude/orchestrator.yaml');
    const original = readFileSync(config, 'utf8');
    const remote = join(mkdtempSync(join(tmpdir(), 'orch-chat-pool-')), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    git('remote', 'add', 'origin', remote);
    try {
      git('push', '-q', 'origin', 'HEAD:main');
      writeFileSync(config, `${original}\nqueue:\n  url: ${url}\nruns:\n  dispatch: pool\n`);
      const from = await api.count();
      const ran = journals();
      const before = transcripts().length;

      await askInNewChat(`@orchestrator /approve --attempts 2 ${specId}`);
      const chat = await until(() => newest(/^\/approve /, before), 30_000, 'the participant to receive /approve');
      const sent = await until(
        () => /Sent to the pool as `([^`]+)` \(`runs\.dispatch: pool`\)/.exec(markdown(chat)),
        60_000,
        `the chat to name the pooled run (it said: ${markdown(chat)})`,
      );
      const runId = sent[1]!;
      assert.ok(
        user()
          .messages('info')
          .some((m) => m.message === `Orchestrator: Sent to the pool as ${runId}.`),
        JSON.stringify(user().shown),
      );

      // In the pool, queued for a worker: the spec's approval, as `approve <specId> --attempts 2 --pool`.
      assert.deepEqual(await poolFlags(url, runId), { autoApprove: true, approveGates: true, attempts: 2 });
      const asked = await runStatus({ runId });
      assert.equal(asked.poolError, undefined);
      assert.deepEqual(
        asked.runs.map((r) => ({
          runId: r.runId,
          kind: r.kind,
          status: r.status,
          specId: r.specId,
          dispatch: r.dispatch,
          live: r.live,
        })),
        [{ runId, kind: 'approve', status: 'queued', specId, dispatch: 'pool', live: true }],
      );
      assert.ok(
        (await runStatus({})).runs.some((r) => r.runId === runId && r.dispatch === 'pool'),
        'the runs going do not list the pooled run',
      );
      // `/status` in the chat lists it too, as the pool's.
      const statusFrom = transcripts().length;
      await askInNewChat(`@orchestrator /status ${runId}`);
      const status = await until(() => newest(/^\/status /, statusFrom), 30_000, 'the participant to receive /status');
      await until(
        () => markdown(status).includes(`\`${runId}\``),
        30_000,
        `/status to list the pooled run (it said: ${markdown(status)})`,
      );
      assert.match(markdown(status), /\(approve, pool\): queued · `/);

      // Nothing ran here: no model call, no run in the sidebar nor a new journal, the spec still saved.
      assert.equal(view().busy, false);
      assert.equal(run().runId, localRun, 'a run started in this window');
      assert.deepEqual(journals(), ran, 'a run journal was written here');
      assert.deepEqual(await api.since(from), [], 'a model was called from this window');
      assert.equal(await specStatus(specId), savedStatus);
    } finally {
      writeFileSync(config, original);
      git('remote', 'remove', 'origin');
      rmSync(join(remote, '..'), { recursive: true, force: true });
    }
  });
});
