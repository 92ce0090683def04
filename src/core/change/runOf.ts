import { assertSafeRunId, hasJournal, type JournalEntry, readEvents } from '../journal';
import { EngineUsageError } from '../errors';

/** The journal of run `runId` in `workspace`; a usage error naming the run when the id is not one or no such run is there. */
export function eventsOfRun(workspace: string, runId: string): JournalEntry[] {
  try {
    assertSafeRunId(runId);
  } catch (error) {
    throw new EngineUsageError((error as Error).message);
  }
  if (!hasJournal(workspace, runId))
    throw new EngineUsageError(`No run ${runId} in this workspace (see \`orchestrator runs\`).`);
  return readEvents(workspace, runId);
}
