/**
 * How a worker starts a pooled run, or continues one another worker (or an earlier claim) left:
 * with the answer it was queued again with (a question parked in the portal, a gate's approval or
 * changes, through the engine's `answerQuestion`), else resumed where its journal stops; a new run
 * by its kind.
 */
import { join } from 'node:path';
import { engine, rebuildState } from '../core/engineBundle';
import type { RunOptions, RunSummary } from '../core/api';
import type { MirroredEntry } from './poolStore';
import type { PoolRun } from './types';

export async function startOrContinue(
  run: PoolRun,
  previous: readonly MirroredEntry[],
  opts: RunOptions,
  path: string,
): Promise<RunSummary> {
  if (previous.length > 0) {
    const answer = run.flags.answer;
    // The portal's answer to the question the run was set aside on, unless a worker killed after taking it journaled it already.
    if (answer && waitsFor(previous, answer.questionId))
      return engine.answerQuestion(run.runId, answer.questionId, { answer: answer.answer, by: answer.by }, opts);
    const state = rebuildState(previous as never);
    // The approval (or the changes asked) answers the gate it was given at, only while the run still
    // waits there (nothing journaled since): after a kill -9 past it, the journal's own record stands.
    const last = previous.at(-1)?.seq;
    const approved = run.flags.approveGates || run.flags.approval?.seq === last;
    const changes = run.flags.changes?.seq === last ? run.flags.changes : undefined;
    const gate = state.status === 'spec-saved' ? parkedGate(previous) : undefined;
    if (gate && (changes || approved))
      return engine.answerQuestion(
        run.runId,
        gate,
        changes
          ? { answer: 'changes', feedback: changes.feedback, by: changes.by }
          : { answer: 'approve', by: run.flags.approval?.by ?? 'unnamed' },
        opts,
      );
    // A run saved at its gate by a version before gates were parked: continued as it was then.
    if (state.status === 'spec-saved' && changes && state.specId)
      return engine.reviseSavedRun(
        run.runId,
        { specId: state.specId, feedback: changes.feedback, by: changes.by },
        opts,
      );
    if (state.status === 'spec-saved' && approved && state.specId)
      return engine.continueApprovedRun(run.runId, state.specId, opts);
    return engine.resumeRun(run.runId, opts);
  }
  const followUp = run.flags.followUp;
  if (followUp) {
    // The worktree is the pull request's head (the run's base): the follow-up works on it, in place.
    const input = {
      base: run.changesCommit,
      here: true as const,
      ...(followUp.fix ? { fix: followUp.fix } : {}),
      ...(followUp.change !== undefined ? { change: followUp.change } : {}),
    };
    return engine.followUpRun(followUp.of, input, opts);
  }
  switch (run.kind) {
    case 'feature':
      return engine.runFeature(run.request, opts);
    case 'bugfix':
      return engine.runBugfix(run.request, opts);
    case 'audit':
      if (!run.flags.audit) throw new Error(`run ${run.runId} is an audit without its settings`);
      return engine.runAudit({ ...run.flags.audit, target: join(path, run.flags.audit.target) }, opts);
    case 'approve':
      if (!run.specId) throw new Error(`run ${run.runId} approves no spec`);
      return engine.approveSpec(run.specId, { ...opts, autoApprove: true });
  }
}

/** Whether the run was set aside on the question `id` and has not had its answer. */
const waitsFor = (journal: readonly MirroredEntry[], id: string): boolean =>
  journal.some((e) => e.type === 'question.parked' && e.id === id) &&
  !journal.some((e) => e.type === 'question.answered' && e.id === id);

/** The gate the run was saved at by parking its question, still unanswered: its question's id. */
function parkedGate(journal: readonly MirroredEntry[]): string | undefined {
  const id = journal.filter((e) => e.type === 'question.parked').at(-1)?.id;
  const asked = journal.find((e) => e.type === 'question.asked' && e.id === id);
  return typeof id === 'string' && asked?.kind === 'gate' && waitsFor(journal, id) ? id : undefined;
}
