/**
 * The one way the engine asks a confirmation or a placement (questions.ts), as a journaled question
 * (askQuestion.ts): a yes given up front, else the host's answer, waited for as long as
 * `limits.confirmationWaitSec` says and never past the run's cancellation.
 */
import type { ConfirmationRequest, Host } from '../../host';
import type { OrchestratorConfig } from '../../project/config';
import { confirmedUpFront, questionKind, type UpFrontAnswers } from '../../questions';
import { askQuestion, type QuestionPlace } from './askQuestion';

export interface AskedWhere extends QuestionPlace {
  host: Host;
  config: OrchestratorConfig;
  answers: UpFrontAnswers;
}

export function askConfirmation(where: AskedWhere, request: ConfirmationRequest): Promise<boolean> {
  const waitSec = where.config.limits.confirmationWaitSec;
  return askQuestion(where, {
    kind: questionKind(request),
    about: { confirmation: request.kind, agent: request.agent, paths: [...request.paths] },
    words: request.question,
    waitSec,
    upFront: confirmedUpFront(where.answers, request),
    ask: (question) => where.host.confirm({ ...request, waitSec, questionId: question.id }),
    said: (answer) => (answer ? 'yes' : 'no'),
  });
}
