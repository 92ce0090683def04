/**
 * The one way the engine asks a confirmation or a placement (questions.ts), as a journaled question
 * (askQuestion.ts): a yes given up front, else the host's answer, waited for as long as
 * `limits.confirmationWaitSec` says and never past the run's cancellation. Parked by its host, the
 * run is set aside (cancelled, resumable); the answer given later continues it.
 */
import { RunCancelled } from '../../errors';
import { type Host, isParked } from '../../host';
import type { OrchestratorConfig } from '../../project/config';
import { type ConfirmationAsk, confirmedUpFront, questionKind, type UpFrontAnswers } from '../../questions';
import { askQuestion, type QuestionPlace } from './askQuestion';

export interface AskedWhere extends QuestionPlace {
  host: Host;
  config: OrchestratorConfig;
  answers: UpFrontAnswers;
}

export function askConfirmation(where: AskedWhere, ask: ConfirmationAsk): Promise<boolean> {
  const waitSec = where.config.limits.confirmationWaitSec;
  return askQuestion(where, {
    kind: questionKind(ask),
    about: { confirmation: ask.kind, agent: ask.agent, paths: [...ask.paths] },
    words: ask.question,
    waitSec,
    upFront: confirmedUpFront(where.answers, ask),
    ask: async (question) => {
      const answer = await where.host.ask({ question, confirmation: { ...ask, waitSec, questionId: question.id } });
      if ('allowed' in answer) return answer.allowed;
      if (isParked(answer)) return answer;
      throw new Error(`the host answered the confirmation ${question.id} as a gate (${answer.action})`);
    },
    parked: (why) => {
      where.setAside?.(why);
      throw new RunCancelled();
    },
    said: (answer) => (answer ? 'yes' : 'no'),
    later: (answer) => answer === 'yes',
  });
}
