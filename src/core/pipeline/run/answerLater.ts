/**
 * A parked question answered later (issue 72): the host that asked showed it where the run is not
 * (a GitHub comment, the portal) and the run was set aside; the answer comes in any process through
 * the engine's `answerQuestion`, which checks it here against the run's journal and journals it
 * (`question.answered`, `by: 'later'`) under the run's lock. The run then continues: a gate's with
 * its decision (resumeRun), a confirmation's asking its question again and taking this answer
 * (askQuestion.ts).
 */
import { EngineUsageError } from '../../errors';
import type { EngineEvent } from '../../events';
import {
  acquireRunLock,
  activeRunLock,
  assertSafeRunId,
  hasJournal,
  Journal,
  type JournalEntry,
  loadRunState,
  readEvents,
} from '../../journal';
import type { Question, QuestionAnswer } from '../../questions';

/** A person's answer to a parked question: a gate's approval or changes (with what to change), a confirmation's yes or no. */
export type LaterAnswer =
  { answer: 'approve' | 'yes' | 'no'; by: string } | { answer: 'changes'; feedback: string; by: string };

const FITS: Record<Question['kind'], readonly QuestionAnswer[]> = {
  gate: ['approve', 'changes'],
  confirmation: ['yes', 'no'],
  placement: ['yes', 'no'],
};

/** The question `questionId` the run waits on, parked or left asked by a stopped process, which `given` answers; a clear error otherwise. */
export function parkedQuestion(workspace: string, runId: string, questionId: string, given: LaterAnswer): Question {
  assertSafeRunId(runId);
  if (!hasJournal(workspace, runId))
    throw new EngineUsageError(`No run ${runId} in this workspace (see \`orchestrator runs\`).`);
  const events = readEvents(workspace, runId) as readonly EngineEvent[];
  const asked = events.find(
    (e): e is Extract<EngineEvent, { type: 'question.asked' }> => e.type === 'question.asked' && e.id === questionId,
  );
  if (!asked) throw new EngineUsageError(`Run ${runId} asked no question ${JSON.stringify(questionId)}.`);
  if (events.some((e) => e.type === 'question.answered' && e.id === questionId))
    throw new EngineUsageError(`Question ${questionId} of run ${runId} was answered already.`);
  // Not journaled parked: its host showed it and its process stopped before the run journaled that (serve killed
  // between its comment and `question.parked`): answerable once no process runs it. A run still asking it where
  // it runs (a modal) is answered there.
  const holder = events.some((e) => e.type === 'question.parked' && e.id === questionId)
    ? undefined
    : activeRunLock(loadRunState(workspace, runId).worktree?.path ?? workspace);
  if (holder?.runId === runId)
    throw new EngineUsageError(
      `Run ${runId} is asking ${questionId} where it runs (process ${holder.pid}): answer it there.`,
    );
  if (!FITS[asked.kind].includes(given.answer))
    throw new EngineUsageError(
      `A ${asked.kind} is answered ${FITS[asked.kind].join(' or ')}, not ${JSON.stringify(given.answer)}.`,
    );
  if (given.answer === 'changes' && !given.feedback.trim())
    throw new EngineUsageError('Say what to change: the feedback goes to the spec agent.');
  const { type: _type, ...question } = asked;
  return question;
}

/** The answer journaled on the parked run, under its lock (a run going now refuses it); the entry written. */
export function journalLaterAnswer(
  workspace: string,
  runId: string,
  questionId: string,
  given: LaterAnswer,
): JournalEntry {
  const place = loadRunState(workspace, runId).worktree?.path ?? workspace;
  const lock = acquireRunLock(place, runId);
  try {
    const journal = Journal.open(workspace, runId);
    try {
      return journal.append({
        type: 'question.answered',
        id: questionId,
        answer: given.answer,
        by: 'later',
        who: given.by,
      });
    } finally {
      journal.close();
    }
  } finally {
    lock.release();
  }
}
