/**
 * The contract's one way to answer a question a host parked (docs/architecture.md, "A question's
 * life"): any process (the Action's next job, a second `serve`, the portal, a pool worker) answers
 * it by the run's id and the question's; the answer is checked against the run's journal, recorded
 * (a spec gate's decision on the spec too, as decideSpecAs records it), journaled, and the run
 * continued here.
 */
import { resolve } from 'node:path';
import type { RunOptions, RunSummary } from '../api';
import { filesOfRun, journalLaterAnswer, type LaterAnswer, parkedQuestion, resumeRun } from '../pipeline/run';
import { RUN, verb } from './entry';
import { decideSpecAs } from './specs';

async function answerQuestion(
  runId: string,
  questionId: string,
  given: LaterAnswer,
  opts: RunOptions,
): Promise<RunSummary> {
  const workspace = resolve(opts.workspace);
  const question = parkedQuestion(workspace, runId, questionId, given);
  // Journaled here, not by the run: the host hears of it as of the run's own entries (the pool's mirror).
  const journal = () => opts.host.onEvent(journalLaterAnswer(workspace, runId, questionId, given));
  if (question.kind !== 'gate' || 'confirmation' in question.about) {
    journal();
    // The run asks its question again and takes this answer (askQuestion.ts).
    return resumeRun(runId, opts);
  }
  const { specId, phase } = question.about;
  const feedback = given.answer === 'changes' ? given.feedback : undefined;
  // The spec's gate: the decision recorded on the spec, with the gate's checks (an approval leaving work unplaced is refused).
  if (phase === undefined)
    await decideSpecAs(await filesOfRun(workspace, runId), specId, {
      action: given.answer === 'approve' ? 'approve' : 'changes',
      by: given.by,
      ...(feedback !== undefined ? { feedback } : {}),
    });
  journal();
  return feedback !== undefined
    ? resumeRun(runId, opts, { specId, feedback, by: given.by })
    : resumeRun(runId, opts, specId);
}

export const questions = {
  /**
   * A question a host parked (`question.parked`), answered later in any process: a gate's `approve`
   * or `changes` (with its feedback), a confirmation's or a placement's `yes` or `no`; `by` who
   * answered. Journaled (`question.answered`, `by: 'later'`), then the run continues here.
   */
  answerQuestion: verb(['question.answered', ...RUN], answerQuestion),
};
export type { LaterAnswer } from '../pipeline/run';
