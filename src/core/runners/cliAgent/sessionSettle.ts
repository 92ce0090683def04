/**
 * After a turn of a CLI agent's session (cliSession.ts), `settle`: a session the CLI does not
 * have here starts afresh; a failure ends the session; the owns gate brings back what the layer
 * may change and tells the agent what it refused (twice at most); the answer must satisfy our
 * final tool's schema and the run's check, and a malformed one is sent back once.
 */
import { completionSummary, type FinalReports, type FinalToolName, finalToolSchemas, oneLine } from '../../agents';
import type { RunnerDefinition, RunnerResult } from '../types';
import { malformedMessage, refusedMessage } from './cliPrompts';
import type { CliAdapter, CliFailure, CliTurnResult } from './cliTypes';
import { ownsGate } from './ownsGate';
import type { PreparedSession } from './sessionPrepare';

/** Rounds of "these changes were refused, go on" before the agent's answer is taken as it is. */
const MAX_REFUSAL_ROUNDS = 2;

/** How often the session went back to the agent so far. */
export interface Rounds {
  refused: number;
  /** A malformed answer was sent back (once only). */
  sentBack: boolean;
}

/** Another turn with this message, or the session's end. */
export type Settled<F extends FinalToolName> = { prompt: string } | { done: RunnerResult<FinalReports[F]> };

export async function settleTurn<F extends FinalToolName>(
  s: PreparedSession<F>,
  result: CliTurnResult,
  prompt: string,
  rounds: Rounds,
): Promise<Settled<F>> {
  const { adapter, record } = s;
  const { def, env, runner, agent } = record;
  if (
    result.failure &&
    record.session !== undefined &&
    record.session === def.session &&
    record.turns === result.turns &&
    adapter.sessionGone?.test(result.failure.detail)
  ) {
    // The journaled session lived where the run was before (another pool worker, another machine): the layer starts afresh here.
    record.sessionGone();
    return { prompt };
  }
  if (result.failure) return { done: record.finish('error', { error: failureLine(adapter, result.failure) }) };

  // The owns gate: what may come back does, the rest is put back and the agent told.
  const refusals = await ownsGate(record, s.wt);
  if (refusals.length > 0) {
    env.emit({
      type: 'log',
      level: 'warn',
      message: `${agent} (${runner}): refused ${refusals.length} change(s): ${refusals.map((r) => r.path).join(', ')}`,
    });
    if (rounds.refused < MAX_REFUSAL_ROUNDS && record.session) {
      rounds.refused++;
      return { prompt: refusedMessage(refusals, def.owns, def.finalTool) };
    }
  }

  // The answer: our schema, then the run's own check; sent back once.
  const checked = await checkAnswer(def, result.final);
  if (checked.final !== undefined)
    return { done: record.finish('submitted', { final: checked.final, summary: completionSummary(checked.final) }) };
  if (!rounds.sentBack && record.session) {
    rounds.sentBack = true;
    return { prompt: malformedMessage(def.finalTool, checked.reason) };
  }
  const text = result.text.trim() ? `; its text: ${oneLine(result.text, 400)}` : '';
  return {
    done: record.finish('error', {
      error: `${runner} ended without a valid ${def.finalTool} answer (${checked.reason})${text}`,
    }),
  };
}

async function checkAnswer<F extends FinalToolName>(
  def: RunnerDefinition<F>,
  answer: unknown,
): Promise<{ final?: FinalReports[F]; reason: string }> {
  if (answer === undefined || answer === null) return { reason: 'no final answer' };
  const parsed = finalToolSchemas[def.finalTool].safeParse(answer);
  if (!parsed.success)
    return { reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ') };
  const refused = def.checkFinal ? await def.checkFinal(parsed.data as FinalReports[F]) : undefined;
  return refused === undefined ? { final: parsed.data as FinalReports[F], reason: '' } : { reason: refused };
}

function failureLine(adapter: CliAdapter, failure: CliFailure): string {
  return `${adapter.runner}: ${failure.detail ? `${oneLine(failure.detail, 300)} — ` : ''}${adapter.advice(failure.kind)}`;
}
