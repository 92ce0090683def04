/**
 * A reviewed phase's rounds (seed 003's CTO↔Engineer loop): the role writes its documents, the
 * reviewer (read-only) judges them — `engineer.cto.response {round, accepted}` — and, when it does
 * not accept them, asks again with its reasons — `cto.engineer.request {round + 1}` — up to
 * `maxRounds`; then the run stops with the reviewer's last reasons. The rounds are rebuilt from
 * the journal, so a resumed run continues at the round it was in.
 */
import { join } from 'node:path';
import type { ReviewReport } from '../../agents';
import { RunStop } from '../../errors';
import { readOptionalText } from '../../project/sources';
import type { WorkflowPhase } from '../../project/workflows';
import type { RunContext } from '../kernel';
import { runReviewer } from './roleAgent';
import { roleOf } from './workflowAgents';
import type { RoleFeedback } from './roleTask';

export async function reviewedWrite(
  ctx: RunContext,
  phase: WorkflowPhase,
  documents: string[],
  write: (feedback: RoleFeedback | undefined) => Promise<void>,
  beforeReview: () => void,
): Promise<void> {
  const reviewer = phase.reviewer!;
  const author = roleOf(phase).agent;
  const max = phase.maxRounds ?? 1;
  const responses = ctx.events.filter((e) => e.type === 'engineer.cto.response' && e.phase === phase.name);
  const last = responses.at(-1);
  if (last?.type === 'engineer.cto.response' && last.accepted) return;
  // The rounds ran out (the run stopped): after the human's edit, the reviewer judges again.
  let judgeOnly = responses.length >= max;
  let round = responses.length + 1;
  for (;;) {
    const request = [...ctx.events]
      .reverse()
      .find((e) => e.type === 'cto.engineer.request' && e.phase === phase.name && e.round === round);
    if (!judgeOnly)
      await write(request?.type === 'cto.engineer.request' ? { kind: 'reviewer', text: request.request } : undefined);
    judgeOnly = false;
    beforeReview();
    const verdict = await runReviewer(
      ctx,
      phase,
      reviewer,
      await reviewTask(ctx, phase, author, documents, round, max),
    );
    const accepted = verdict.verdict === 'approved';
    ctx.emit({
      type: 'engineer.cto.response',
      phase: phase.name,
      round,
      from: author,
      to: reviewer,
      documents,
      accepted,
    });
    if (accepted) return;
    const reasons = reasonsOf(verdict);
    if (round >= max) {
      throw new RunStop(
        'gate',
        `phase ${phase.name}: the ${reviewer} did not accept the ${author}'s documents in ${max} rounds`,
        `## Pipeline stopped: the ${reviewer} did not accept phase ${phase.name} in ${max} rounds (maxRounds)\n${reasons}\n### Action needed\nEdit ${documents.join(', ')} (or raise maxRounds), then run \`orchestrator resume\`: the ${reviewer} judges it again.`,
      );
    }
    round++;
    ctx.emit({ type: 'cto.engineer.request', phase: phase.name, round, from: reviewer, to: author, request: reasons });
  }
}

function reasonsOf(verdict: ReviewReport): string {
  return verdict.issues
    .map(
      (issue) =>
        `- [${issue.severity}] ${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.problem} — ${issue.fix}`,
    )
    .join('\n');
}

async function reviewTask(
  ctx: RunContext,
  phase: WorkflowPhase,
  author: string,
  documents: string[],
  round: number,
  max: number,
): Promise<string> {
  const texts = await Promise.all(
    documents.map(
      async (path) => `### ${path}\n${(await readOptionalText(join(ctx.workspace, path))) ?? '(not written)'}`,
    ),
  );
  return [
    `## TASK\nJudge round ${round} of ${max} of phase ${phase.name}: the ${author}'s documents below. Accept them (verdict "approved"), or ask for another version (verdict "rejected", one issue per change you need).`,
    `## REQUEST\n${ctx.request}`,
    `## DOCUMENTS\n${texts.join('\n\n')}`,
  ].join('\n\n');
}
