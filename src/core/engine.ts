/**
 * The engine facade: one function per user-facing action. Hosts (CLI, VS Code, tests)
 * call only these; the work is done in src/core/pipeline.
 */
import { resolve } from 'node:path';
import type { ChangedFile, RollbackReport, RunInfo, RunOptions, RunSummary, SpecInfo } from './api';
import { findLatestResumableRun, listRuns as listJournaledRuns } from './journal/runs';
import { initWorkspace as scaffold } from './project/init';
import { loadConfig } from './project/config';
import { listSpecs as listStoredSpecs } from './project/specs';
import { unownedWork } from './project/specWork';
import { changesOfRun, checkpointBytes, rollbackOfRun, syncOutsideRun } from './pipeline/run/runAdmin';
import { resumeRun as resumePipeline, startFromSpec, startRun } from './pipeline/run/runner';

export async function runFeature(request: string, opts: RunOptions): Promise<RunSummary> {
  return startRun(opts, { kind: 'feature', request });
}
export async function runBugfix(report: string, opts: RunOptions): Promise<RunSummary> {
  return startRun(opts, { kind: 'bugfix', request: report });
}
/** Approves a saved spec and implements it in a new run (approving is the action itself). */
export async function approveSpec(specId: string, opts: RunOptions): Promise<RunSummary> {
  return startFromSpec(specId, opts);
}
export async function resumeRun(runId: string | undefined, opts: RunOptions): Promise<RunSummary> {
  return resumePipeline(runId, opts);
}
/** Saved specs; an active one lists its work no layer owns (`unowned`) while the config loads. */
export async function listSpecs(workspace: string): Promise<SpecInfo[]> {
  const root = resolve(workspace);
  const config = await loadConfig(root).catch(() => undefined);
  return listStoredSpecs(root, config ? (text) => unownedWork(text, config) : undefined);
}
export async function listRuns(workspace: string): Promise<RunInfo[]> {
  return listJournaledRuns(resolve(workspace));
}
/** The run a bare `resume` continues: the latest that did not complete (the CLI and Resume Run agree). */
export async function latestResumableRun(workspace: string): Promise<RunInfo | undefined> {
  return findLatestResumableRun(resolve(workspace));
}
export async function rollback(workspace: string, runId: string): Promise<RollbackReport> {
  return rollbackOfRun(workspace, runId);
}
/** Files the run changed since its checkpoint, and a file's bytes at the checkpoint (for diffs). */
export async function runChanges(workspace: string, runId: string): Promise<ChangedFile[]> {
  return changesOfRun(workspace, runId);
}
export async function fileAtCheckpoint(workspace: string, runId: string, path: string): Promise<Buffer | undefined> {
  return checkpointBytes(workspace, runId, path);
}
export async function initWorkspace(workspace: string, templatesDir: string): Promise<{ created: string[]; skipped: string[] }> {
  return scaffold(resolve(workspace), templatesDir);
}
export async function syncRegistry(opts: RunOptions): Promise<void> {
  return syncOutsideRun(opts);
}
