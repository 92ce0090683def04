/** The report of a layer none of whose attempts passed its validation (docs/attempts.md). */
import { RunStop } from '../../errors';
import { runnerPickText } from '../../text/runnerNames';
import type { RunContext } from '../kernel';
import { attemptRef } from './attemptPlace';
import type { JudgedAttempt } from './attemptPick';

export function attemptsStopped(ctx: RunContext, layer: string, judged: readonly JudgedAttempt[], of: number): RunStop {
  const lines = [
    `## Pipeline stopped: no attempt at ${layer} passed its validation`,
    `- Attempts: ${judged.length} of ${of} ran${judged.length < of ? ' (the budget allowed no more)' : ''}`,
    ...judged.map(
      (a) =>
        `- Attempt ${a.k} on ${runnerPickText(a)}: ${a.retries} retries, proof ${a.proofGreen}/${a.proofTotal}; ${a.error ?? 'failed'} (kept on \`${a.ref ?? attemptRef(ctx.runId, layer, a.k)}\`)`,
    ),
    '### Action needed',
    `Read each attempt's error above (\`orchestrator attempts ${ctx.runId}\` lists them with their diffs), then fix the cause and \`orchestrator resume ${ctx.runId}\` (its attempts run again), or roll the run back with \`orchestrator rollback\`.`,
  ];
  return new RunStop(
    'validation',
    `no attempt at ${layer} passed its validation (${judged.length} of ${of} ran)`,
    lines.join('\n'),
  );
}
