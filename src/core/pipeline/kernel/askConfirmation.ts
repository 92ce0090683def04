/**
 * The one way the engine asks a confirmation or a placement (questions.ts): a yes given up front,
 * else the host's answer, waited for as long as `limits.confirmationWaitSec` says and never past
 * the run's cancellation.
 */
import type { ConfirmationRequest, Host } from '../../host';
import type { OrchestratorConfig } from '../../project/config';
import { confirmedUpFront, type UpFrontAnswers } from '../../questions';
import { untilCancelled } from './untilCancelled';

export interface AskedWhere {
  host: Host;
  config: OrchestratorConfig;
  answers: UpFrontAnswers;
  signal?: AbortSignal;
}

export async function askConfirmation(where: AskedWhere, request: ConfirmationRequest): Promise<boolean> {
  return (
    confirmedUpFront(where.answers, request) ??
    (await untilCancelled(
      where.host.confirm({ ...request, waitSec: where.config.limits.confirmationWaitSec }),
      where.signal,
    ))
  );
}
