// Issue 27's runners in issue 28's pool: `--runner claude-code --pool` travels with the run, and
// only a worker that found Claude Code at start (it advertises `runner:claude-code`) takes it.
// Real PostgreSQL, a bare git remote, worker processes (the built CLI) in their own clones, the
// real Claude Code binary from node_modules on some workers' PATH only, against one scripted
// Messages API server that sees Claude Code's own requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { reply } from '../../support/messagesApiServer';
import { usePostgres } from '../../support/postgres';
import { say, specAnswer, type AgentCall } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { boardRunOf } from '../../../src/pool/types';
import { poolRunViewSchema } from '../../../src/shared/poolView';
import { CLAUDE_BINARY, cc, fromClaude } from '../../support/runners/claudeCode';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

const REQUEST = 'Add a Product entity with name and price';
const runCliShow = async (w: { remote: string }, ref: string, path: string): Promise<string> =>
  execFileSync('git', ['--git-dir', w.remote, 'show', `${ref}:${path}`], { encoding: 'utf8' });
const claudeWrites = (files: Record<string, string>) => (call: AgentCall) =>
  call.turn === 0 ? cc.write(call, files) : cc.done();
/** No `command`: each worker finds `claude` on its own PATH, or not. Claude Code reads the test server from its own variables. */
const CONFIG = (yaml: string) =>
  `${yaml}\nagentCli:\n  claude-code: { env: [ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL] }\n`;

/** A folder with `claude` on a PATH of its own; `withClaude(name)`: a machine's environment with it, each its own HOME (its sessions). */
function claudeMachines(): { scratch: string; withClaude: (name: string) => { PATH: string; HOME: string } } {
  const scratch = mkdtempSync(join(tmpdir(), 'orch-pool-cc-'));
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  symlinkSync(CLAUDE_BINARY, join(bin, 'claude'));
  const withClaude = (name: string) => {
    const home = join(scratch, `home-${name}`);
    mkdirSync(home);
    return { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, HOME: home };
  };
  return { scratch, withClaude };
}

test(
  'pool: --runner claude-code travels with the run; a worker without Claude Code never takes it (the boards say what it waits for); its layers run on Claude Code, and after a kill -9 another worker with Claude Code resumes it',
  { timeout: 600_000 },
  async () => {
    const { scratch, withClaude } = claudeMachines();
    let held = false;
    const spec = specAnswer('Product entity', 'product-entity', PRODUCT_SPEC);
    const specReply = say.spec('Product entity', 'product-entity', PRODUCT_SPEC);
    const w = await poolWorld(
      {
        // The first spec call never answers: the worker that took the run dies there (kill -9).
        spec: (call) => {
          if (held) return spec(call);
          held = true;
          return reply.slow(specReply, { beforeMs: 600_000 });
        },
        database: claudeWrites({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
        backend: claudeWrites({ 'server/entities/product.js': PRODUCT_MODULE }),
        frontend: claudeWrites({ 'web/src/products.js': PRODUCT_SCREEN }),
        review: () => say.approve(),
      },
      { pg, config: CONFIG },
    );
    try {
      // A worker whose PATH has no Claude Code: it joins without the label.
      const plain = w.worker('plain');
      for (let i = 0; !/joined the pool/.test(plain.log()); i++) {
        if (i > 1200) throw new Error(`the plain worker never joined: ${plain.log()}`);
        await sleep(50);
      }
      assert.doesNotMatch(plain.log(), /runner:claude-code/);

      const dispatched = await w.cli([
        'feature',
        REQUEST,
        '--runner',
        'claude-code',
        '--pool',
        '--approve',
        '--yes',
        '--json',
      ]);
      assert.equal(dispatched.code, 0, dispatched.stderr);
      const runId = String(jsonOf(dispatched).runId);
      const stored = (await w.store.get(runId))!;
      assert.deepEqual(stored.flags, { autoApprove: true, approveGates: true, assumeYes: true, runner: 'claude-code' });
      assert.deepEqual(stored.labels, ['runner:claude-code']);

      // The plain worker, idle and live, leaves it queued through several of its polls (a third of leaseSec: 1 s).
      await sleep(4000);
      const waiting = (await w.store.get(runId))!;
      assert.deepEqual([waiting.status, waiting.worker, waiting.attempts], ['queued', undefined, 0], plain.log());
      const table = (await w.cli(['runs', '--pool'])).stdout;
      assert.match(
        table.split('\n').find((line) => line.startsWith(runId))!,
        /queued \(waiting for a worker with claude-code\).*on claude-code$/,
      );
      const listed = JSON.parse((await w.cli(['runs', '--pool', '--json'])).stdout) as Record<string, unknown>[];
      assert.deepEqual(
        listed.map((run) => [run.runId, run.status, run.runner]),
        [[runId, 'queued', 'claude-code']],
      );
      const row = boardRunOf(waiting);
      assert.equal(row.runner, 'claude-code');
      assert.ok(poolRunViewSchema.safeParse(row).success, "the sidebar's and portal's schema takes it");

      // A worker with Claude Code on its PATH advertises the label and takes it; it dies in the spec phase.
      const doomed = w.worker('doomed', [], undefined, withClaude('doomed'));
      for (let i = 0; !held; i++) {
        if (i > 2400) throw new Error(`the run never reached its spec: ${doomed.log()}`);
        await sleep(50);
      }
      assert.match(doomed.log(), /labels runner:claude-code/);
      assert.equal((await w.store.get(runId))!.worker, 'doomed');
      doomed.child.kill('SIGKILL');
      await doomed.done;
      assert.equal(w.api.requests.filter(fromClaude).length, 0, 'no layer ran before the kill');

      // Its lease lapses; the plain worker still cannot take it; a second worker with Claude Code resumes it.
      const heir = w.worker('heir', [], undefined, withClaude('heir'));
      const [run] = await w.waitFor(
        'the run ended elsewhere',
        (runs) => ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''),
        400_000,
      );
      assert.equal(run!.status, 'completed', `${run!.reason ?? ''}\n${heir.log()}\n--- plain:\n${plain.log()}`);
      assert.deepEqual([run!.worker, run!.attempts], ['heir', 2], 'taken by doomed, then by heir; never by plain');
      assert.doesNotMatch(plain.log(), /took run/);

      const journal = await w.store.events(runId);
      assert.deepEqual(
        journal.filter((e) => e.type === 'run.started').map((e) => e.runner),
        ['claude-code', 'claude-code'],
        'at dispatch, and on the heir',
      );
      for (const layer of ['database', 'backend', 'frontend']) {
        assert.equal(
          journal.find((e) => e.type === 'agent.started' && e.agent === layer)?.runner,
          'claude-code',
          layer,
        );
        assert.ok(
          journal.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'claude-code'),
          `${layer}'s tokens are Claude Code's`,
        );
      }
      assert.ok(
        w.api.requests.filter(fromClaude).length >= 6,
        "the server saw Claude Code's own requests (two turns per layer)",
      );
      assert.equal(w.callsOf('spec').length, 2, 'the spec asked again on the heir');
    } finally {
      await w.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
);

test(
  'pool: a worker killed while Claude Code works on a layer: the heir (another machine, the session not in its HOME) still completes the layer on Claude Code',
  { timeout: 600_000 },
  async () => {
    const { scratch, withClaude } = claudeMachines();
    let held = false;
    const w = await poolWorld(
      {
        spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
        database: claudeWrites({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
        // The backend's first Claude Code run writes its file, then its answer never comes: its worker dies there.
        backend: (call) => {
          if (call.turn === 0) return cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE });
          if (held) return cc.done();
          held = true;
          return reply.slow(cc.done(), { beforeMs: 600_000 });
        },
        frontend: claudeWrites({ 'web/src/products.js': PRODUCT_SCREEN }),
        review: () => say.approve(),
      },
      { pg, config: CONFIG },
    );
    try {
      const doomed = w.worker('doomed', [], undefined, withClaude('doomed'));
      const dispatched = await w.cli([
        'feature',
        REQUEST,
        '--runner',
        'claude-code',
        '--pool',
        '--approve',
        '--yes',
        '--json',
      ]);
      assert.equal(dispatched.code, 0, dispatched.stderr);
      const runId = String(jsonOf(dispatched).runId);
      for (let i = 0; !held; i++) {
        if (i > 4800) throw new Error(`the backend never reached its answer: ${doomed.log()}`);
        await sleep(50);
      }
      const killedSession = (await w.store.events(runId)).find(
        (e) => e.type === 'agent.session' && e.agent === 'backend',
      )?.session;
      assert.ok(killedSession, 'its session was journaled');
      doomed.child.kill('SIGKILL');
      await doomed.done;
      const heir = w.worker('heir', [], undefined, withClaude('heir'));
      const [run] = await w.waitFor(
        'the run ended elsewhere',
        (runs) => ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''),
        400_000,
      );
      assert.equal(
        run!.status,
        'completed',
        `${run!.reason ?? ''}\n${heir.log()}\n${JSON.stringify((await w.store.events(runId)).filter((e) => String(e.type).startsWith('agent.')).slice(-6))}`,
      );
      assert.deepEqual([run!.worker, run!.attempts], ['heir', 2]);
      const journal = await w.store.events(runId);
      // The heir has no such session (the agent's private home, where Claude Code kept it, is on the dead worker's machine): the layer began a new session there.
      const sessions = journal.filter((e) => e.type === 'agent.session' && e.agent === 'backend').map((e) => e.session);
      assert.equal(sessions[0], killedSession);
      const completed = journal.filter((e) => e.type === 'agent.completed' && e.agent === 'backend');
      assert.equal(completed.length, 1);
      assert.equal(completed[0]!.outcome, 'submitted');
      assert.ok(completed[0]!.session && completed[0]!.session !== killedSession, 'completed in a new session');
      assert.ok(sessions.includes(completed[0]!.session), 'journaled as agent.session on the heir');
      assert.ok(
        journal.some(
          (e) =>
            e.type === 'log' && String(e.message).includes(`session ${String(killedSession)} is not on this machine`),
        ),
        'the journal says why',
      );
      const sql = await runCliShow(w, run!.resultBranch!, 'server/entities/product.js');
      assert.equal(sql, PRODUCT_MODULE, "the layer's work is on the result branch");
    } finally {
      await w.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
);

test("pool: without --runner, the CLI agents the config puts on layers and roles are the run's labels; --runner agent adds none", async () => {
  const config = (yaml: string) =>
    CONFIG(yaml.replace(/(\n {2}backend:\n)/, '$1    runner: claude-code\n')).concat('runners: { review: codex }\n');
  const w = await poolWorld({}, { pg, config });
  try {
    const fromConfig = await w.cli(['feature', REQUEST, '--pool', '--json', '--labels', 'gpu']);
    assert.equal(fromConfig.code, 0, fromConfig.stderr);
    assert.deepEqual((await w.store.get(String(jsonOf(fromConfig).runId)))!.labels, [
      'gpu',
      'runner:claude-code',
      'runner:codex',
    ]);
    // --runner wins over the layers' own runners; the roles keep theirs.
    const ours = await w.cli(['feature', REQUEST, '--runner', 'agent', '--pool', '--json']);
    assert.equal(ours.code, 0, ours.stderr);
    const run = (await w.store.get(String(jsonOf(ours).runId)))!;
    assert.deepEqual([run.labels, run.flags.runner], [['runner:codex'], 'agent']);
  } finally {
    await w.close();
  }
});
