import { assertSafeRunId, hasJournal, loadRunState, type RunState } from '../../journal';
import { EngineUsageError } from '../../errors';

/** A run's state by id, for commands on a run (rollback, apply, discard…): a bad or unknown id is a usage error. */
export function knownRunState(workspace: string, runId: string): RunState {
  try {
    assertSafeRunId(runId);
  } catch (error) {
    throw new EngineUsageError((error as Error).message);
  }
  if (!hasJournal(workspace, runId)) throw new EngineUsageError(`No run ${runId} in this workspace.`);
  return loadRunState(workspace, runId);
}
