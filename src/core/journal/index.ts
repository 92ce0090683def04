/**
 * The journal's door: a run's append-only events, the run state rebuilt from them, the run lock,
 * the runs folder and the listing of runs.
 */
export { hasJournal, Journal, readEvents, readEventsBeside } from './journal';
export { appendRunLine, readRunLines } from './runLines';
export { JournalCorruptError, type JournalEntry } from './journalLines';
export { acquireRunLock, activeRunLock, isProcessAlive, type RunLock, RunLockedError } from './lock';
export { processStartTime } from './processStart';
export { newRunId } from './runId';
export type { PhaseTiming, RunInfo, RunStatus } from './runInfo';
export { assertSafeRunId, journalPath, runDir, RUNS_DIR, runsDir } from './runPaths';
export { findLatestResumableRun, listRuns, loadRunState, runInfo } from './runs';
export { type AgentCost, rebuildState, type RunState, type StateEvent, type WorktreeState } from './state';
export { costByAgent, doneLayers, filesChanged, isLayerDone, isPhaseDone, retriesByLayer } from './stateQueries';
export { ensureStateDir, ensureStateDirSoon } from './stateDir';
