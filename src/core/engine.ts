/**
 * The engine facade: one function per user-facing action. Hosts (CLI, VS Code, tests)
 * call only these; the work is done in src/core/pipeline.
 */
import { resolve } from 'node:path';
import type { AgentModelInfo, ChangedFile, ConfigOverrides, RollbackReport, RunInfo, RunOptions, RunSummary, SpecInfo } from './api';
import { findLatestResumableRun, listRuns as listJournaledRuns } from './journal/runs';
import { initWorkspace as scaffold } from './project/config/init';
import { prepareDemoWorkspace, type DemoWorkspace } from './demo/demoWorkspace';
import { parseModelId } from './llm/modelId';
import { loadConfig, modelFor, modelKeyFor } from './project/config/config';
import { SPEC_ID } from './project/specs/specFrontMatter';
import { foreignFormat, importSpecFolder, type ImportedSpec } from './import/importSpec';
import { listSpecs as listStoredSpecs } from './project/specs/specs';
import { listMustardSpecs } from './mustard/specList';
import { unownedWork } from './project/specs/specWork';
import type { PruneResult } from './git/checkpointRefs';
import { changesOfRun, checkpointBytes, gcCheckpoints, rollbackOfRun, syncOutsideRun } from './pipeline/run/runAdmin';
import { auditChoices as choicesFor, type AuditChoices, type AuditRequest } from './pipeline/audit/auditSettings';
import { agentNames, applyOverrides } from './pipeline/run/runSetup';
import { resumeRun as resumePipeline, startAudit, startFromSpec, startRun } from './pipeline/run/runner';
import { runEventLines } from './sinks/runEvents';
import { openQueueStore } from './queue/openStore';
import { EngineUsageError } from './errors';
import { QueueService } from './queue/queueService';
import { traceSpecMatrix, type TraceExport, type TraceReport } from './trace/traceCommand';

export async function runFeature(request: string, opts: RunOptions): Promise<RunSummary> {
  return startRun(opts, { kind: 'feature', request });
}
export async function runBugfix(report: string, opts: RunOptions): Promise<RunSummary> {
  return startRun(opts, { kind: 'bugfix', request: report });
}
/** The audit-to-target loop of seed 001 on a folder or file of the workspace. */
export async function runAudit(request: AuditRequest, opts: RunOptions): Promise<RunSummary> {
  return startAudit(request, opts);
}
/** The dimensions an audit of this workspace can take and the config's defaults (editors ask with them). */
export async function auditChoices(workspace: string, templatesDir?: string): Promise<AuditChoices> {
  const root = resolve(workspace);
  return choicesFor(root, await loadConfig(root), templatesDir);
}
/**
 * Approves a saved spec and implements it in a new run (approving is the action itself). A
 * Kiro or Spec Kit folder is converted into a spec first, then approved the same way.
 */
export async function approveSpec(specIdOrFolder: string, opts: RunOptions): Promise<RunSummary> {
  const root = resolve(opts.workspace);
  if (SPEC_ID.test(specIdOrFolder) || foreignFormat(resolve(root, specIdOrFolder)) === undefined) return startFromSpec(specIdOrFolder, opts);
  const imported = await importSpec(root, specIdOrFolder);
  const say = (level: 'info' | 'warn', message: string) => opts.host.onEvent({ type: 'log', level, message });
  say('info', `Imported ${imported.source} (${FORMAT_NAMES[imported.format]}) as ${imported.specPath}: ${imported.requirements} requirement(s), ${imported.tasks} task(s).`);
  imported.notes?.forEach((note) => say('info', note));
  imported.warnings.forEach((warning) => say('warn', `${imported.source}: ${warning}`));
  return startFromSpec(imported.specId, opts);
}
const FORMAT_NAMES: Record<ImportedSpec['format'], string> = { kiro: 'Kiro', speckit: 'Spec Kit', mustard: 'Mustard' };
/** Converts a Kiro spec folder or a Spec Kit feature folder into a spec awaiting approval (not approved). */
export async function importSpec(workspace: string, folder: string): Promise<ImportedSpec> {
  const root = resolve(workspace);
  return importSpecFolder(root, folder, await loadConfig(root));
}
export async function resumeRun(runId: string | undefined, opts: RunOptions): Promise<RunSummary> {
  return resumePipeline(runId, opts);
}
/**
 * Saved specs; an active one lists its work no layer owns (`unowned`) while the config loads.
 * Mustard's spec folders follow, with Mustard's stage and outcome.
 */
export async function listSpecs(workspace: string): Promise<SpecInfo[]> {
  const root = resolve(workspace);
  const config = await loadConfig(root).catch(() => undefined);
  const [ours, mustard] = await Promise.all([listStoredSpecs(root, config ? (text) => unownedWork(text, config) : undefined), listMustardSpecs(root)]);
  return [...ours, ...mustard];
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
/** `orchestrator gc`: prunes checkpoint refs beyond `checkpoints.keep`. */
export async function gc(workspace: string): Promise<PruneResult> {
  return gcCheckpoints(workspace);
}
export async function syncRegistry(opts: RunOptions): Promise<void> {
  return syncOutsideRun(opts);
}
/** The traceability matrix of a spec from its runs' journals (seed 000); written as .xlsx / Markdown when asked. */
export async function traceSpec(workspace: string, specId: string, exports: TraceExport = {}): Promise<TraceReport> {
  return traceSpecMatrix(workspace, specId, exports);
}
/** A run's events as CloudEvents JSON lines in seed 003's vocabulary, or its raw journal lines. */
export async function runEvents(workspace: string, runId: string, format: 'cloudevents' | 'journal' = 'cloudevents'): Promise<string[]> {
  return runEventLines(resolve(workspace), runId, format);
}
/**
 * The model each agent of a run would use (the config file under the host's overrides), before
 * any run: the editor asks for an API key only when some agent is on the Anthropic API.
 * Throws ProjectFileError when the config does not load.
 */
export async function agentModels(workspace: string, overrides?: ConfigOverrides): Promise<AgentModelInfo[]> {
  const config = applyOverrides(await loadConfig(resolve(workspace)), overrides);
  return agentNames(config).map((agent) => {
    const model = modelFor(config, agent);
    return { agent, model, provider: parseModelId(model).provider, key: modelKeyFor(config, agent, overrides?.models) };
  });
}

/**
 * The workspace's task queue (seed 004): the embedded file, or PostgreSQL at `queue.url`.
 * `trusted: false` (Restricted Mode) keeps the queue readable but applies nothing. Close it when done.
 */
export async function openQueue(workspace: string, opts: { trusted: boolean }): Promise<QueueService> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  // The server a workspace names is not contacted from an untrusted workspace (as its webhook is not).
  if (config.queue.url && !opts.trusted) throw new EngineUsageError('Restricted Mode: the team queue at queue.url is not contacted until you trust the workspace.');
  return new QueueService({ workspace: root, config, store: await openQueueStore(root, config), trusted: opts.trusted });
}

/** The demo's workspace: the sample shop copied into `folder` (default: a new temp folder), on the scripted model. */
export async function prepareDemo(sampleDir: string, folder?: string): Promise<DemoWorkspace> {
  return prepareDemoWorkspace(sampleDir, folder);
}
