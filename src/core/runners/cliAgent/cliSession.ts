/**
 * The machinery every CLI runner shares (issue 27): one agent run of a CLI agent, under our
 * gates and from outside the agent.
 *   - It works in its own worktree of the run's state, without any denied file (agentWorktree.ts).
 *   - After it stops, only changes inside the layer's `owns` come back; others are reverted and
 *     the SAME session is resumed with the list of what was refused (ownsGate.ts).
 *   - Its final answer must satisfy our final tool's schema and the run's check; a malformed one
 *     is sent back once, then the agent ends with its text.
 *   - It sees the minimal environment; it runs detached, and its whole process group ends on
 *     cancel, the budget cap or the wall-clock limit; its session is journaled at once, so a
 *     killed run resumes that session.
 *   - Its usage counts toward maxBudgetUsd as it streams (priced from our table, else the
 *     CLI's own total); a CLI that reports no cost is "not metered".
 * The adapter (claudeCode/, codex/ …) only runs one turn of its CLI (cliTypes.ts). A session is
 * three steps: prepare (sessionPrepare.ts), then turns (sessionTurn.ts), each settled
 * (sessionSettle.ts) into the next turn's message or the end; what it did is its record
 * (sessionRecord.ts).
 */
import type { FinalReports, FinalToolName } from '../../agents';
import { createPricing } from '../../llm';
import type { RunnerDefinition, RunnerEnvironment, RunnerResult } from '../types';
import { cliSettings } from './cliDefaults';
import type { CliAdapter } from './cliTypes';
import { prepareSession } from './sessionPrepare';
import { SessionRecord } from './sessionRecord';
import { settleTurn, type Rounds } from './sessionSettle';
import { runTurn } from './sessionTurn';

export async function runCliAgent<F extends FinalToolName>(
  adapter: CliAdapter,
  def: RunnerDefinition<F>,
  env: RunnerEnvironment,
): Promise<RunnerResult<FinalReports[F]>> {
  const { runner } = adapter;
  const record = new SessionRecord(runner, def, env);
  const settings = cliSettings(runner, env.config.agentCli[runner], def.maxTurns);
  const pricing = createPricing(env.config.pricing);
  env.emit({ type: 'agent.started', agent: def.name, attempt: def.attempt, mode: def.mode, runner });

  const session = await prepareSession({ adapter, record, settings, pricing });
  if ('error' in session) return record.finish('error', { error: session.error });
  let prompt = session.prompt;
  let turnsLeft = settings.maxTurns;
  const rounds: Rounds = { refused: 0, sentBack: false };
  for (;;) {
    const turn = await runTurn(session, prompt, turnsLeft);
    if ('stop' in turn) return record.finish(turn.stop.outcome, { error: turn.stop.error });
    turnsLeft = Math.max(1, turnsLeft - turn.result.turns);
    const settled = await settleTurn(session, turn.result, prompt, rounds);
    if ('done' in settled) return settled.done;
    prompt = settled.prompt;
  }
}
