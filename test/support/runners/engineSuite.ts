// One suite for a CLI runner end to end: the real CLI (from npm) does layers' and roles' work
// against its scripted model API while our own agents talk to the harness's server, under our
// gates. What differs per CLI runs on each CLI; what is ours runs once (issues 45 and 50), read
// off the runner's code (src/core/runners/cliAgent: sessionPrepare, sessionTurn, sessionSettle,
// turnUsage, ownsGate; each adapter runs one turn of its CLI).
//
// The CLI's own, on every runner here, in one feature per CLI (each CLI start costs a second or
// more of CPU, opencode's several: one run carries what a turn of the CLI alone cannot show):
//   - parallel layers: the CLI inside our sandbox with the relay to its endpoint, database and
//     backend on it at once in their own private homes, its session, tools and usage journaled and
//     priced, its worktree outside the checkout, nothing of it left running;
//   - issue 36's attacks through its own shell and file tools (how they read, how they spawn
//     processes, a sandbox of its own nested in ours), tried by the backend before it writes its
//     file (attacks.ts);
//   - kill -9 then resume: the database agent killed with the orchestrator once the backend is done
//     (a turn cut short journals no sandbox refusal), its session surviving the crash (its files in
//     the private home) and going on with its history, what it started dying with the sandbox.
// Its native refusals (a write outside owns, a denied file), its resume of a session with its
// history, its read-only role and structured answer, and its usage streaming reply by reply (what
// the budget cap reads) are the CLI's too: adapterSuite.ts checks them on a turn of the CLI alone.
//
// Ours, on one runner only (the one whose description carries `ours`: Claude Code, the cheapest to
// start, and the one CLI whose native parts, a hook refusing writes and its structured output, have
// no adapter suite, so these cases are its per-CLI coverage too):
//   - a write outside owns: the owns gate reverts it, protected paths and a frozen proof test
//     included, and the same session is resumed with the list (ownsGate.ts, sessionSettle.ts); the
//     proof agent on the CLI in that run, its tests and its submit_proof answer;
//   - .env not in the worktree, even tracked by git (agentWorktree.ts), nor in the journal;
//   - a failing validate resuming the same session with the error (the retry's message);
//   - the budget cap mid-turn: its accounting as the usage streams (turnUsage.ts) and the process
//     group ended, a command left running in it too (sessionTurn.ts);
//   - resume on another machine: no private home, so a new session (sessionPrepare.ts);
//   - the spec and review roles' answers checked, a malformed one sent back once (sessionSettle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { RecordedRequest, Scripted } from '../messagesApiServer';
import type { AgentCall } from '../engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN } from '../engine/fixtures';
import { crashThenResume, heldDatabase, MIGRATION, MODULE } from './scenarios';
import { sandboxAttack } from './attacks';
import {
  engineKit,
  escape,
  started,
  without,
  type EngineRunner,
  type EngineWorld,
  type RunnerCall,
} from './engineRunner';
import { oursSuite } from './engineOurs';

export type { EngineRunner, EngineWorld, Journal, RunnerCall } from './engineRunner';

/** Registers the behaviours that are each CLI's own, played on `runner`, and ours where its description carries them. */
export function engineSuite<Req extends RecordedRequest>(r: EngineRunner<Req>): void {
  const kit = engineKit(r);
  const { nothingLeftRunning, kill } = kit;

  test(
    `one feature, database and backend on ${r.name} in parallel: the backend tries issue 36's attacks through ${r.name}'s own ${r.attacks.tools} (the checkout, the user's home, the orchestrator's environment, git, loopback and a setsid process are all out of reach), then writes its file; kill -9 mid-agent, then resume: the database's ${r.continued} journaled before the crash continues with its history; the files come back, the journal says who did what`,
    { timeout: 2 * r.timeout },
    async () => {
      const attack = await sandboxAttack({
        label: r.name,
        shell: (command) => r.shell(command),
        write: (call, path, content) => r.write(call as RunnerCall<Req>, path, content),
        ...(r.read ? { read: (call: AgentCall, path: string) => r.read!(call as RunnerCall<Req>, path) } : {}),
        ...(r.attacks.denied ? { denied: r.attacks.denied } : {}),
        ...(r.attacks.env ? { env: r.attacks.env } : {}),
      });
      const database = heldDatabase(kill);
      // The backend: the attacks first, then its file and its answer. A later attempt is the owns
      // gate's round (a hook the attack planted in the worktree, where Gemini's empty core.hooksPath
      // puts it, reverted): its answer alone.
      const backend = (call: AgentCall): Scripted => {
        if (call.attempt > 1) return r.done();
        if (call.turn < attack.turns) return attack.turn(call);
        return call.turn === attack.turns ? r.write(call as RunnerCall<Req>, MODULE, PRODUCT_MODULE) : r.done();
      };
      let w: EngineWorld<Req> | undefined;
      try {
        w = await r.world(
          without('database', 'backend'),
          { database: database.script, backend },
          r.on(['database', 'backend']),
        );
        attack.plant(w.h);
        const { summary, events } = await crashThenResume(w, database, kill, {
          env: attack.env,
          started: (pid) => attack.orchestrator(pid),
          ready: (journal) => journal.some((e) => e.type === 'agent.completed' && e.agent === 'backend'),
        });
        assert.ok(
          events.some((e) => e.type === 'run.completed'),
          `${r.name}: the run completed despite the attacks`,
        );
        assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
        assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
        assert.equal(w.h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
        assert.equal(started(events, 'database')?.runner, r.runner);
        assert.equal(started(events, 'backend')?.runner, r.runner);
        assert.equal(started(events, 'frontend')?.runner, 'agent');
        assert.equal(started(events, 'spec')?.runner, 'agent');
        const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
        assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
        // A write and its answer (r.parallel.turns): after the database's listing (its resumed attempt
        // lists again); after the backend's attacks, and an answer more for each round of the gate.
        const answer = r.parallel.turns ?? 2;
        const rounds = new Set(w.callsOf('backend').map((c) => c.attempt)).size - 1;
        const turns = { database: 1 + answer, backend: attack.turns + answer + rounds * (answer - 1) };
        for (const layer of ['database', 'backend'] as const) {
          const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
          assert.match(String(session?.session), r.session, `${layer}'s ${r.name} ${r.continued} is journaled`);
          // It worked in its own worktree, outside the checkout, gone once the run completed.
          assert.ok(!String(session?.worktree).startsWith(w.h.shop.dir), 'its worktree is outside the checkout');
          assert.ok(!existsSync(String(session?.worktree)), 'and gone once the run completed');
          const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
          assert.equal(done?.outcome, 'submitted');
          assert.equal(done?.session, session?.session);
          assert.equal(done?.turns, turns[layer], `${layer}'s turns`);
          assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing:');
          assert.ok(
            events.some(
              (e) =>
                e.type === 'tool.called' &&
                e.agent === layer &&
                e.tool === r.parallel.tool &&
                e.isError === false &&
                e.runner === r.runner,
            ),
            'its write is journaled',
          );
          assert.ok(
            events.some((e) => e.type === 'file.written' && e.agent === layer),
            'its files are journaled as written',
          );
          assert.ok(
            events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === r.runner),
            'its usage is journaled',
          );
        }
        assert.ok(summary.costByAgent.database! > 0 && summary.costByAgent.backend! > 0, "their cost is in the run's");
        assert.doesNotMatch(
          JSON.stringify(w.callsOf('database')[0]!.req.body.messages),
          new RegExp(escape(w.h.shop.dir)),
        );
        if (w.strays) assert.deepEqual(w.strays(), []);
        r.parallel.check(w, events);
        await nothingLeftRunning(events);
        attack.check(w.h, { attacker: JSON.stringify(w.callsOf('backend')), all: w.sent() }, events);
      } finally {
        await w?.done();
        attack.close();
      }
    },
  );

  if (r.ours) oursSuite(r, r.ours, kit);
}
