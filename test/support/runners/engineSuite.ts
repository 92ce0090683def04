// One suite for a CLI runner end to end: the real CLI (from npm) does layers' and roles' work
// against its scripted model API while our own agents talk to the harness's server, under our
// gates. What differs per CLI runs on each CLI; what is ours runs once (issues 45 and 50), read
// off the runner's code (src/core/runners/cliAgent: sessionPrepare, sessionTurn, sessionSettle,
// turnUsage, ownsGate; each adapter runs one turn of its CLI).
//
// The CLI's own, on every runner here (each case a whole feature, so only what a turn of the CLI
// alone cannot show):
//   - parallel layers: the CLI inside our sandbox with the relay to its endpoint, two of it at once
//     in their own private homes, its session, tools and usage journaled and priced, its worktree
//     outside the checkout, nothing of it left running;
//   - kill -9 then resume: the CLI's session surviving a crash (its files in the private home) and
//     going on with its history, what it started dying with the sandbox;
//   - issue 36's attacks through its own shell and file tools (how they read, how they spawn
//     processes, a sandbox of its own nested in ours).
// Its native refusals (a write outside owns, a denied file), its resume of a session with its
// history, its read-only role and structured answer, and its usage streaming reply by reply (what
// the budget cap reads) are the CLI's too: adapterSuite.ts checks them on a turn of the CLI alone.
//
// Ours, on one runner only (the one whose description carries `ours`: Claude Code, the cheapest to
// start, and the one CLI whose native parts, a hook refusing writes and its structured output, have
// no adapter suite, so these cases are its per-CLI coverage too):
//   - a write outside owns: the owns gate reverts it, protected paths included, and the same
//     session is resumed with the list (ownsGate.ts, sessionSettle.ts);
//   - .env not in the worktree, even tracked by git (agentWorktree.ts), nor in the journal;
//   - a failing validate resuming the same session with the error (the retry's message);
//   - the budget cap mid-turn: its accounting as the usage streams (turnUsage.ts) and the process
//     group ended, a command left running in it too (sessionTurn.ts);
//   - resume on another machine: no private home, so a new session (sessionPrepare.ts);
//   - the spec and review roles' answers checked, a malformed one sent back once (sessionSettle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runFeature } from '../../../src/core/engine';
import type { RecordedRequest } from '../messagesApiServer';
import type { AgentCall } from '../engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN } from '../engine/fixtures';
import { journalOf } from '../engine/harness';
import { killNineThenResume, MIGRATION, MODULE, REQUEST } from './scenarios';
import { sandboxAttacks } from './attacks';
import { engineKit, escape, started, without, type EngineRunner, type RunnerCall } from './engineRunner';
import { oursSuite } from './engineOurs';

export type { EngineRunner, EngineWorld, Journal, RunnerCall } from './engineRunner';

/** Registers the behaviours that are each CLI's own, played on `runner`, and ours where its description carries them. */
export function engineSuite<Req extends RecordedRequest>(r: EngineRunner<Req>): void {
  const kit = engineKit(r);
  const { TIMEOUT, inWorld, nothingLeftRunning, kill } = kit;
  const writes = (path: string, content: string) => (call: AgentCall) => (call.turn === 0 ? r.write(call as RunnerCall<Req>, path, content) : r.done());

  test(`database and backend run on ${r.name} in parallel, frontend on our own agent: the files come back, the journal says who did what`, TIMEOUT, () =>
    inWorld(without('database', 'backend'), { database: writes(MIGRATION, PRODUCT_MIGRATION), backend: writes(MODULE, PRODUCT_MODULE) }, r.on(['database', 'backend']), async (w) => {
      const summary = await runFeature(REQUEST, w.h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
      assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
      assert.equal(w.h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
      const events = journalOf(w.h.shop, summary.runId);
      assert.equal(started(events, 'database')?.runner, r.runner);
      assert.equal(started(events, 'backend')?.runner, r.runner);
      assert.equal(started(events, 'frontend')?.runner, 'agent');
      assert.equal(started(events, 'spec')?.runner, 'agent');
      const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
      assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
      for (const layer of ['database', 'backend']) {
        const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
        assert.match(String(session?.session), r.session, `${layer}'s ${r.name} ${r.continued} is journaled`);
        // It worked in its own worktree, outside the checkout, gone once the run completed.
        assert.ok(!String(session?.worktree).startsWith(w.h.shop.dir), 'its worktree is outside the checkout');
        assert.ok(!existsSync(String(session?.worktree)), 'and gone once the run completed');
        const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
        assert.equal(done?.outcome, 'submitted');
        assert.equal(done?.session, session?.session);
        assert.equal(done?.turns, r.parallel.turns ?? 2);
        assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing:');
        assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === r.parallel.tool && e.isError === false && e.runner === r.runner), 'its write is journaled');
        assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer), 'its files are journaled as written');
        assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === r.runner), 'its usage is journaled');
      }
      assert.ok(summary.costByAgent.database! > 0 && summary.costByAgent.backend! > 0, 'their cost is in the run\'s');
      assert.doesNotMatch(JSON.stringify(w.callsOf('database')[0]!.req.body.messages), new RegExp(escape(w.h.shop.dir)));
      if (w.strays) assert.deepEqual(w.strays(), []);
      r.parallel.check(w, events);
      await nothingLeftRunning(events);
    }),
  );

  test(`kill -9 mid-agent, then resume: the ${r.name} ${r.continued} journaled before the crash continues with its history`, TIMEOUT, () => killNineThenResume(kill));

  test(`issue 36's attacks through ${r.name}'s own ${r.attacks.tools}, in the sandbox: the checkout, the user's home, the orchestrator's environment, git, loopback and a setsid process are all out of reach`, TIMEOUT, () =>
    sandboxAttacks({
      ...kill,
      ...(r.read ? { read: (call: AgentCall, path: string) => r.read!(call as RunnerCall<Req>, path) } : {}),
      ...(r.attacks.denied ? { denied: r.attacks.denied } : {}),
      ...(r.attacks.env ? { env: r.attacks.env } : {}),
    }),
  );

  if (r.ours) oursSuite(r, r.ours, kit);
}
