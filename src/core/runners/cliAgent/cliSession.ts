/**
 * The machinery every CLI runner shares (issue 27): one agent run of a CLI agent, under our
 * gates and from outside the agent.
 *   - It works in its own worktree of the run's state, without any denied file (agentWorktree.ts).
 *   - After it stops, only changes inside the layer's `owns` come back; others are reverted and
 *     the SAME session is resumed with the list of what was refused (agentChanges.ts).
 *   - Its final answer must satisfy our final tool's schema and the run's check; a malformed one
 *     is sent back once, then the agent ends with its text.
 *   - It sees the minimal environment; it runs detached, and its whole process group ends on
 *     cancel, the budget cap or the wall-clock limit; its session is journaled at once, so a
 *     killed run resumes that session.
 *   - Its usage counts toward maxBudgetUsd as it streams (priced from our table, else the
 *     CLI's own total); a CLI that reports no cost is "not metered".
 * The adapter (claudeCode/, codex/ …) only runs one turn of its CLI (cliTypes.ts).
 */
import { existsSync } from 'node:fs';
import { finalToolSchemas, type FinalReports } from '../../agents/finalReports';
import { summarizeInput, summarizeResult } from '../../agents/loop/eventSummary';
import { completionSummary } from '../../agents/loop/runAgent';
import { inputJsonSchema } from '../../agents/tools/parseToolInput';
import { oneLine } from '../../agents/tools/textLines';
import type { FinalToolName } from '../../agents/types';
import type { AgentOutcome, EngineEvent } from '../../events';
import { createPricing } from '../../llm/pricing';
import { addUsage, emptyUsage, type Usage } from '../../llm/types';
import { sandboxPolicy } from '../../sandbox';
import { redactDeep, redactSecrets } from '../../text/secrets';
import type { RunnerDefinition, RunnerEnvironment, RunnerResult } from '../types';
import { bringBack, changesOf, judgeChanges, revertChanges, type AgentChange } from './agentChanges';
import { endProcessesIn, prepareAgentWorktree, type AgentWorktree } from './agentWorktree';
import { missingCommandMessage, resolveCommand } from './cliCommand';
import { cliSettings } from './cliDefaults';
import { cliEnvironment, secretValues } from './cliEnvironment';
import { changeEffects } from './changeEffects';
import { firstMessage, malformedMessage, refusedMessage } from './cliPrompts';
import { sandboxAgent, type AgentSandbox } from './agentSandbox';
import { homeSecretsOf, preparePrivateHome, privateHomeOf } from './privateHome';
import type { CliAdapter, CliFailure, CliTurnResult } from './cliTypes';
import { ProcessGroups } from './processGroup';

/** Rounds of "these changes were refused, go on" before the agent's answer is taken as it is. */
const MAX_REFUSAL_ROUNDS = 2;

/** How much of a turn's tool output is kept to read the sandbox's refusals from. */
const MAX_TOOL_OUTPUT = 256 * 1024;

type Stop = { outcome: AgentOutcome; error: string };

export async function runCliAgent<F extends FinalToolName>(adapter: CliAdapter, def: RunnerDefinition<F>, env: RunnerEnvironment): Promise<RunnerResult<FinalReports[F]>> {
  const { runner } = adapter;
  const agent = def.name;
  const settings = cliSettings(runner, env.config.agentCli[runner], def.maxTurns);
  const pricing = createPricing(env.config.pricing);
  env.emit({ type: 'agent.started', agent, attempt: def.attempt, mode: def.mode, runner });

  let session = def.session;
  let turns = 0;
  let usage = emptyUsage();
  let costUsd = 0;
  let metered = true;
  const written = new Set<string>();
  const created = new Set<string>();
  const deleted = new Set<string>();
  let secrets: string[] = [];
  const clean = <T>(value: T): T => redactDeep(value, secrets).value;

  const finish = (outcome: AgentOutcome, extra: { final?: FinalReports[F]; error?: string; summary?: string } = {}): RunnerResult<FinalReports[F]> => {
    const error = extra.error === undefined ? undefined : oneLine(redactSecrets(extra.error, secrets).text, 600);
    env.emit({
      type: 'agent.completed', agent, attempt: def.attempt, outcome, runner,
      ...(extra.summary ?? error ? { summary: extra.summary ?? error } : {}),
      ...(session ? { session } : {}), turns, usage, costUsd, ...(metered ? {} : { metered: false as const }),
    });
    return {
      outcome, runner, turns, usage, costUsd,
      ...(extra.final !== undefined ? { final: extra.final } : {}),
      ...(session ? { session } : {}),
      filesWritten: [...written], filesCreated: [...created], filesDeleted: [...deleted],
      ...(error ? { error } : {}),
    };
  };

  /** Brings back what `owns` allows of the worktree's changes, reverts the rest; returns what was refused. */
  const gate = async (tree: AgentWorktree): Promise<{ path: string; reason: string }[]> => {
    const { accepted, refused } = judgeChanges(await changesOf(tree), def.owns);
    if (refused.length > 0) await revertChanges(tree, refused);
    const declined = accepted.length > 0 ? await confirm(env, agent, tree, accepted) : undefined;
    if (declined) await revertChanges(tree, accepted);
    else if (accepted.length > 0) {
      if (env.beforeWrites) await env.beforeWrites();
      const back = await bringBack(tree, accepted, agent, env.emit);
      back.written.forEach((p) => written.add(p));
      back.created.forEach((p) => created.add(p));
      back.deleted.forEach((p) => deleted.add(p));
    }
    return [...refused.map((c) => ({ path: c.path ?? c.gitPath, reason: c.reason })), ...(declined ? accepted.map((c) => ({ path: c.path!, reason: declined })) : [])];
  };

  const sessionGone = (gone: string): undefined => {
    env.emit({ type: 'log', level: 'warn', message: `${agent} (${runner}): session ${gone} is not on this machine (the run was resumed elsewhere); starting a new one` });
    return undefined;
  };

  const command = resolveCommand(settings.command, env.workspace);
  if (!command) return finish('error', { error: missingCommandMessage(runner, settings.command) });

  let wt: AgentWorktree;
  try {
    // Resuming a session: what its killed process left in the worktree comes back (through the owns gate) first.
    const leftovers = session ? async (left: AgentWorktree) => void (await gate(left)) : undefined;
    wt = await prepareAgentWorktree({ home: env.home, runWorkspace: env.workspace, runId: env.runId, agent, config: env.config, ...(adapter.hidden ? { hidden: adapter.hidden } : {}) }, leftovers);
  } catch (error) {
    return finish('error', { error: `${runner}: the agent's worktree could not be made: ${(error as Error).message}` });
  }
  // Every CLI keeps its sessions in the agent's private home. Without it here the run was resumed on
  // another machine (a pool worker taking over a dead one's run): the layer starts a new session
  // rather than asking the CLI for one it cannot have.
  if (session !== undefined && !existsSync(privateHomeOf(wt.root).home)) session = sessionGone(session);
  // HOME and TMPDIR: the agent's own, with its CLI's sign-in only (never the user's ~/.ssh, ~/.aws …).
  const place = preparePrivateHome(wt.root, adapter.signIn);
  const agentEnv = cliEnvironment(settings.env, { HOME: place.home, TMPDIR: place.tmp });
  secrets = secretValues(agentEnv, settings.env);
  const schema = jsonSchemaOf(def.finalTool);
  let prompt = firstMessage(def, wt.workspace);
  let refusalRounds = 0;
  let sentBack = false;
  let turnsLeft = settings.maxTurns;

  for (;;) {
    const groups = new ProcessGroups();
    const stopper = new AbortController();
    let stop: Stop | undefined;
    const halt = (why: Stop) => {
      stop ??= why;
      groups.endAll();
      stopper.abort();
    };
    const onCancel = () => halt({ outcome: 'cancelled', error: 'cancelled' });
    if (env.signal?.aborted) return finish('cancelled', { error: 'cancelled' });
    // The CLI and all it starts run inside the sandbox (sandbox: off runs them bare).
    let sandbox: AgentSandbox;
    try {
      sandbox = await sandboxAgent(wt.root, {
        mode: env.config.sandbox.mode, command, env: agentEnv,
        policy: {
          cwd: wt.workspace,
          ...sandboxPolicy({
            writable: [wt.root], readOnly: [wt.gitDir], linked: { checkout: env.home, links: env.config.worktree.link },
            home: place.home, tmp: place.tmp, network: adapter.network(agentEnv), who: { agent }, hidden: [env.home, env.workspace],
            ...(adapter.nestedSandbox ? { nested: true } : {}),
          }),
        },
      });
    } catch (error) {
      return finish('error', { error: `${runner}: ${(error as Error).message}` });
    }
    env.signal?.addEventListener('abort', onCancel, { once: true });
    const timer = setTimeout(() => halt({ outcome: 'error', error: `${runner}: stopped after ${settings.timeoutSec} s (agentCli.${runner}.timeoutSec); raise it, or give the layer less to do, then resume` }), settings.timeoutSec * 1000);
    let turnCost = 0;
    let unpriced = false;
    let result: CliTurnResult;
    let last = Date.now();
    // The reply streaming now: its parts add up to one llm.usage event.
    let reply = emptyUsage();
    let replyCost = 0;
    let lastModel = '';
    // What the agent's tools said this turn (bounded): where the sandbox's refusals are read from.
    let toolOutput = '';
    try {
      result = await adapter.turn({
        command: sandbox.command, cwd: wt.workspace, prompt, system: systemOf(def), maxTurns: turnsLeft,
        ...(session ? { session } : {}),
        ...(env.cliModel ? { model: env.cliModel } : {}),
        owns: def.owns, deny: wt.deny.patterns, outside: [...new Set([env.home, env.workspace, ...homeSecretsOf(process.env)])], finalSchema: schema,
        budgetLeftUsd: Math.max(0, env.budget.limitUsd - env.budget.spentUsd),
        env: agentEnv, sandboxed: env.config.sandbox.mode !== 'off', spawn: groups.spawn, signal: stopper.signal,
        onEvent: (event) => {
          if (stop) return;
          if (event.kind === 'session' && event.session !== session) {
            session = event.session;
            env.emit({ type: 'agent.session', agent, attempt: def.attempt, runner, session, worktree: wt.root });
          } else if (event.kind === 'tool') {
            if (toolOutput.length < MAX_TOOL_OUTPUT) toolOutput += `${event.result}\n`;
            // Paths as the run knows them (workspace-relative), never the agent's worktree.
            const local = (text: string) => text.split(`${wt.workspace}/`).join('');
            const input = JSON.parse(local(JSON.stringify(event.input ?? {}))) as unknown;
            env.emit(clean({ type: 'tool.called', agent, tool: event.tool, input: summarizeInput(input), isError: event.isError, result: summarizeResult(oneLine(local(event.result), 400)), runner }));
          } else if (event.kind === 'usage') {
            lastModel = event.model;
            const cost = event.unmetered ? undefined : pricing.costOf(event.model, event.usage) ?? event.costUsd;
            usage = addUsage(usage, event.usage);
            reply = addUsage(reply, event.usage);
            if (cost === undefined) unpriced = true;
            else {
              turnCost += cost;
              replyCost += cost;
              costUsd += cost;
              env.budget.charge(cost);
            }
            if (event.ends) {
              const now = Date.now();
              env.emit(usageEvent(agent, runner, event.model, reply, cost === undefined ? undefined : replyCost, now - last));
              last = now;
              reply = emptyUsage();
              replyCost = 0;
            }
            if (!env.budget.canStart()) halt({ outcome: 'budget', error: `budget reached: ${env.budget.describe()}` });
          }
        },
      });
    } catch (error) {
      result = { text: '', turns: 0, failure: { kind: 'crashed', detail: (error as Error).message ?? String(error) } };
    } finally {
      clearTimeout(timer);
      env.signal?.removeEventListener('abort', onCancel);
      groups.endAll();
      // A command the agent left running may have a process group of its own: it ends with the turn.
      endProcessesIn(wt.root);
      for (const denial of await sandbox.close(toolOutput)) env.emit(clean({ type: 'sandbox.denied', agent, kind: denial.kind, target: denial.target }));
    }
    // A reply cut off mid-stream (the cap, a cancel) still cost what it streamed: journaled, so a resumed run counts it.
    if (reply.input + reply.output + reply.cacheRead + reply.cacheWrite > 0) env.emit(usageEvent(agent, runner, lastModel, reply, replyCost, Date.now() - last));
    session = result.session ?? session;
    turns += result.turns;
    turnsLeft = Math.max(1, turnsLeft - result.turns);
    // Priced by the CLI only (a model our table does not know): its own total counts.
    if (unpriced && result.costUsd !== undefined && result.costUsd > turnCost) {
      const rest = result.costUsd - turnCost;
      costUsd += rest;
      env.budget.charge(rest);
    } else if (unpriced && result.costUsd === undefined) metered = false;
    if (stop) return finish(stop.outcome, { error: stop.error });
    if (result.failure && session !== undefined && session === def.session && turns === result.turns && adapter.sessionGone?.test(result.failure.detail)) {
      // The journaled session lived where the run was before (another pool worker, another machine): the layer starts afresh here.
      session = sessionGone(session);
      continue;
    }
    if (result.failure) return finish('error', { error: failureLine(adapter, result.failure) });

    // The owns gate: what may come back does, the rest is put back and the agent told.
    const refusals = await gate(wt);
    if (refusals.length > 0) {
      env.emit({ type: 'log', level: 'warn', message: `${agent} (${runner}): refused ${refusals.length} change(s): ${refusals.map((r) => r.path).join(', ')}` });
      if (refusalRounds < MAX_REFUSAL_ROUNDS && session) {
        refusalRounds++;
        prompt = refusedMessage(refusals, def.owns, def.finalTool);
        continue;
      }
    }

    // The answer: our schema, then the run's own check; sent back once.
    const checked = await checkAnswer(def, result.final);
    if (checked.final !== undefined) return finish('submitted', { final: checked.final, summary: completionSummary(checked.final) });
    if (!sentBack && session) {
      sentBack = true;
      prompt = malformedMessage(def.finalTool, checked.reason);
      continue;
    }
    const text = result.text.trim() ? `; its text: ${oneLine(result.text, 400)}` : '';
    return finish('error', { error: `${runner} ended without a valid ${def.finalTool} answer (${checked.reason})${text}` });
  }
}

function systemOf(def: Pick<RunnerDefinition<FinalToolName>, 'shared' | 'system' | 'context' | 'task' | 'owns' | 'finalTool'>): string {
  return [def.shared, def.system, def.context].filter((part): part is string => Boolean(part && part.trim())).join('\n\n');
}

const schemas = new Map<FinalToolName, Record<string, unknown>>();

/** Our final tool's input schema as JSON Schema, for the CLI's structured output. */
export function jsonSchemaOf(tool: FinalToolName): Record<string, unknown> {
  let schema = schemas.get(tool);
  if (!schema) {
    schema = inputJsonSchema(finalToolSchemas[tool]);
    schemas.set(tool, schema);
  }
  return schema;
}

async function checkAnswer<F extends FinalToolName>(def: RunnerDefinition<F>, answer: unknown): Promise<{ final?: FinalReports[F]; reason: string }> {
  if (answer === undefined || answer === null) return { reason: 'no final answer' };
  const parsed = finalToolSchemas[def.finalTool].safeParse(answer);
  if (!parsed.success) return { reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ') };
  const refused = def.checkFinal ? await def.checkFinal(parsed.data as FinalReports[F]) : undefined;
  return refused === undefined ? { final: parsed.data as FinalReports[F], reason: '' } : { reason: refused };
}

/** Asks, like our own agent's turns, before changes past the confirmation thresholds come back. */
async function confirm(env: RunnerEnvironment, agent: string, wt: AgentWorktree, accepted: readonly AgentChange[]): Promise<string | undefined> {
  if (!env.approveTurn) return undefined;
  const effects = await changeEffects(wt, agent, accepted);
  return (await env.approveTurn(effects)) ? undefined : 'refused: not confirmed by the user';
}

function usageEvent(agent: string, runner: string, model: string, usage: Usage, cost: number | undefined, ms: number): EngineEvent {
  return { type: 'llm.usage', agent, model, usage, costUsd: cost ?? 0, ms, provider: runner, ...(cost === undefined ? { priced: false as const } : {}) };
}

function failureLine(adapter: CliAdapter, failure: CliFailure): string {
  return `${adapter.runner}: ${failure.detail ? `${oneLine(failure.detail, 300)} — ` : ''}${adapter.advice(failure.kind)}`;
}

