/**
 * One turn of a CLI agent's session (cliSession.ts), `turn`: the CLI started in the sandbox with
 * the turn's message, its stream journaled (its session at once, its tools, its usage against
 * the budget: turnUsage.ts), and its whole process group ended on cancel, the budget cap or the
 * wall-clock limit; what the sandbox refused it is journaled after.
 */
import { type FinalToolName, oneLine, summarizeInput, summarizeResult } from '../../agents';
import type { AgentOutcome } from '../../events';
import { sandboxPolicy } from '../../sandbox';
import type { RunnerDefinition } from '../types';
import { sandboxAgent, type AgentSandbox } from './agentSandbox';
import { endProcessesIn } from './agentWorktree';
import type { CliStreamEvent, CliTurnResult } from './cliTypes';
import { homeSecretsOf } from './privateHome';
import { ProcessGroups } from './processGroup';
import type { PreparedSession } from './sessionPrepare';
import { TurnUsage } from './turnUsage';

/** How much of a turn's tool output is kept to read the sandbox's refusals from. */
const MAX_TOOL_OUTPUT = 256 * 1024;

/** Why the session stops now, whatever the turn answered. */
export interface Stop {
  outcome: AgentOutcome;
  error: string;
}

/** How a turn ended: the CLI's result, or why the session stops (the turn never started, or was cut short). */
export type TurnEnd = { stop: Stop } | { result: CliTurnResult };

export async function runTurn<F extends FinalToolName>(
  s: PreparedSession<F>,
  prompt: string,
  maxTurns: number,
): Promise<TurnEnd> {
  const { adapter, record, settings, wt } = s;
  const { def, env, runner, agent } = record;
  const groups = new ProcessGroups();
  const stopper = new AbortController();
  let stop: Stop | undefined;
  const halt = (why: Stop) => {
    stop ??= why;
    groups.endAll();
    stopper.abort();
  };
  const onCancel = () => halt({ outcome: 'cancelled', error: 'cancelled' });
  if (env.signal?.aborted) return { stop: { outcome: 'cancelled', error: 'cancelled' } };
  // The CLI and all it starts run inside the sandbox (sandbox: off runs them bare).
  let sandbox: AgentSandbox;
  try {
    sandbox = await sandboxAgent(wt.root, {
      mode: env.config.sandbox.mode,
      command: s.command,
      env: s.agentEnv,
      policy: {
        cwd: wt.workspace,
        ...sandboxPolicy({
          writable: [wt.root],
          readOnly: [wt.gitDir],
          linked: { checkout: env.home, links: env.config.worktree.link },
          home: s.place.home,
          tmp: s.place.tmp,
          network: adapter.network(s.agentEnv),
          who: { agent },
          hidden: [env.home, env.workspace],
          ...(adapter.nestedSandbox ? { nested: true } : {}),
        }),
      },
    });
  } catch (error) {
    return { stop: { outcome: 'error', error: `${runner}: ${(error as Error).message}` } };
  }
  env.signal?.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(
    () =>
      halt({
        outcome: 'error',
        error: `${runner}: stopped after ${settings.timeoutSec} s (agentCli.${runner}.timeoutSec); raise it, or give the layer less to do, then resume`,
      }),
    settings.timeoutSec * 1000,
  );
  const usage = new TurnUsage(record, s.pricing);
  // What the agent's tools said this turn (bounded): where the sandbox's refusals are read from.
  let toolOutput = '';
  const onEvent = (event: CliStreamEvent) => {
    if (stop) return;
    if (event.kind === 'session' && event.session !== record.session) {
      record.session = event.session;
      env.emit({
        type: 'agent.session',
        agent,
        attempt: def.attempt,
        runner,
        session: event.session,
        worktree: wt.root,
      });
    } else if (event.kind === 'tool') {
      if (toolOutput.length < MAX_TOOL_OUTPUT) toolOutput += `${event.result}\n`;
      // Paths as the run knows them (workspace-relative), never the agent's worktree.
      const local = (text: string) => text.split(`${wt.workspace}/`).join('');
      const input = JSON.parse(local(JSON.stringify(event.input ?? {}))) as unknown;
      env.emit(
        record.clean({
          type: 'tool.called',
          agent,
          tool: event.tool,
          input: summarizeInput(input),
          isError: event.isError,
          result: summarizeResult(oneLine(local(event.result), 400)),
          runner,
        }),
      );
    } else if (event.kind === 'usage') {
      usage.add(event);
      if (!env.budget.canStart()) halt({ outcome: 'budget', error: `budget reached: ${env.budget.describe()}` });
    }
  };
  let result: CliTurnResult;
  try {
    result = await adapter.turn({
      command: sandbox.command,
      cwd: wt.workspace,
      prompt,
      system: systemOf(def),
      maxTurns,
      ...(record.session ? { session: record.session } : {}),
      ...(env.cliModel ? { model: env.cliModel } : {}),
      owns: def.owns,
      deny: wt.deny.patterns,
      outside: [...new Set([env.home, env.workspace, ...homeSecretsOf(process.env)])],
      finalSchema: s.schema,
      budgetLeftUsd: Math.max(0, env.budget.limitUsd - env.budget.spentUsd),
      env: s.agentEnv,
      sandboxed: env.config.sandbox.mode !== 'off',
      spawn: groups.spawn,
      signal: stopper.signal,
      onEvent,
    });
  } catch (error) {
    result = { text: '', turns: 0, failure: { kind: 'crashed', detail: (error as Error).message ?? String(error) } };
  } finally {
    clearTimeout(timer);
    env.signal?.removeEventListener('abort', onCancel);
    groups.endAll();
    // A command the agent left running may have a process group of its own: it ends with the turn.
    endProcessesIn(wt.root);
    for (const denial of await sandbox.close(toolOutput))
      env.emit(record.clean({ type: 'sandbox.denied', agent, kind: denial.kind, target: denial.target }));
  }
  usage.close(result.costUsd);
  record.session = result.session ?? record.session;
  record.turns += result.turns;
  return stop ? { stop } : { result };
}

/** Our instructions for the role, appended to the CLI's own system prompt. */
function systemOf(def: Pick<RunnerDefinition<FinalToolName>, 'shared' | 'system' | 'context'>): string {
  return [def.shared, def.system, def.context]
    .filter((part): part is string => Boolean(part && part.trim()))
    .join('\n\n');
}
