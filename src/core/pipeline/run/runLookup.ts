import { hasJournal } from '../../journal/journal';
import { assertSafeRunId } from '../../journal/runPaths';
import { loadRunState } from '../../journal/runs';
import type { RunState } from '../../journal/state';
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
