/**
 * Confirmations refused during a run (issue 44): what an agent was not allowed to do. A run that
 * then cannot finish says so as a refusal naming what was refused, not as the gap it left
 * (a requirement with no implementing file).
 */
import type { StateEvent } from '../../journal';
import type { Spec } from '../../project/specs';
import { RunStop } from '../../errors';

export interface Refusal {
  kind: string;
  agent: string;
  paths: string[];
  question: string;
}

/** The run's refused confirmations about an agent's changes (not the gate's own questions). */
export function refusalsOf(events: readonly StateEvent[]): Refusal[] {
  const refused: Refusal[] = [];
  for (const event of events) {
    if (event.type !== 'confirmation' || event.answer || event.kind === undefined || event.agent === undefined)
      continue;
    refused.push({ kind: event.kind, agent: event.agent, paths: event.paths ?? [], question: event.question });
  }
  return refused;
}

/** The run stops on a refusal: each refused change, and the requirements it left with no implementing file. */
export function refusalStopped(refusals: readonly Refusal[], spec: Spec, missing: readonly string[]): RunStop {
  const lines = ['## Pipeline stopped: confirmation refused', `- Spec: ${spec.id} (${spec.path})`];
  for (const refusal of refusals)
    lines.push(
      `- Refused (${refusal.kind}, ${refusal.agent} agent): ${refusal.paths.map((path) => `\`${path}\``).join(', ') || 'its changes'}`,
    );
  if (missing.length > 0) lines.push(`- Left with no implementing file: ${missing.join(', ')}`);
  lines.push(
    '### Action needed',
    'The refused changes were not made. Make them by hand (files you change since the checkpoint count) and run `orchestrator resume`, or run the feature again where the change can be allowed (`--yes` in the CLI); or roll the run back with `orchestrator rollback`.',
  );
  const what = refusals.map((refusal) => `${refusal.kind} of ${refusal.paths.join(', ') || refusal.agent}`).join('; ');
  return new RunStop('refused', `confirmation refused: ${what}`, lines.join('\n'));
}
