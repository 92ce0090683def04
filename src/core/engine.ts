/**
 * The engine facade: one function per user-facing action. Hosts (CLI, VS Code, tests)
 * call only these. Implemented in src/core/pipeline (in progress).
 */
import type { ChangedFile, RollbackReport, RunInfo, RunOptions, RunSummary, SpecInfo } from './api';

const pending = (what: string): never => {
  throw new Error(`${what}: the pipeline is not wired yet`);
};

export async function runFeature(_request: string, _opts: RunOptions): Promise<RunSummary> {
  return pending('runFeature');
}
export async function runBugfix(_report: string, _opts: RunOptions): Promise<RunSummary> {
  return pending('runBugfix');
}
export async function approveSpec(_specId: string, _opts: RunOptions): Promise<RunSummary> {
  return pending('approveSpec');
}
export async function resumeRun(_runId: string | undefined, _opts: RunOptions): Promise<RunSummary> {
  return pending('resumeRun');
}
export async function listSpecs(_workspace: string): Promise<SpecInfo[]> {
  return pending('listSpecs');
}
export async function listRuns(_workspace: string): Promise<RunInfo[]> {
  return pending('listRuns');
}
export async function rollback(_workspace: string, _runId: string): Promise<RollbackReport> {
  return pending('rollback');
}
/** Files the run changed since its checkpoint, and a file's bytes at the checkpoint (for diffs). */
export async function runChanges(_workspace: string, _runId: string): Promise<ChangedFile[]> {
  return pending('runChanges');
}
export async function fileAtCheckpoint(_workspace: string, _runId: string, _path: string): Promise<Buffer | undefined> {
  return pending('fileAtCheckpoint');
}
export async function initWorkspace(_workspace: string, _templatesDir: string): Promise<{ created: string[]; skipped: string[] }> {
  return pending('initWorkspace');
}
export async function syncRegistry(_opts: RunOptions): Promise<void> {
  return pending('syncRegistry');
}
