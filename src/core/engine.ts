/**
 * The engine facade: one function per user-facing action. Hosts (CLI, VS Code, tests)
 * call only these; the work is done in src/core/pipeline.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { AgentModelInfo, ChangedFile, ConfigOverrides, RollbackReport, RunInfo, RunOptions, RunSummary, SpecInfo } from './api';
import { assertSafeRunId, findLatestResumableRun, hasJournal, readEvents, runInfo as journaledRunInfo, type JournalEntry, listRuns as listJournaledRuns } from './journal';
import { type Census, censusRoom, type DictionaryReport, type InitOptions, type InitReport } from './census';
import { CONFIG_FILE, readOptionalText } from './project/sources';
import { type DemoWorkspace, prepareDemoWorkspace } from './demo';
import { parseModelId } from './llm';
import { loadConfig, modelFor, modelKeyFor } from './project/config';
import { listSpecs as listStoredSpecs, loadSpec, recordedDecision, type RecordedSpecDecision, recordSpecDecision, SPEC_ID, type SpecGateAction, SpecGateError, unownedWork, WAITING_SPEC_STATUSES } from './project/specs';
import { findForeignFolders, foreignFormat, type ImportedSpec, importRoom, type LayerAssignment, pendingProposalItems, withLayerPicks } from './import';
import { listMustardSpecs } from './mustard';
export type { LayerAssignment } from './import';
import { gatePlacement } from './pipeline/phases';
export type { RecordedSpecDecision, SpecGateAction } from './project/specs';
import { type PhaseGate, recordPhaseDecision, phaseGatesWaiting as waitingPhaseGates } from './pipeline/workflow';
export type { PhaseGate, RecordedPhaseDecision } from './pipeline/workflow';
import type { PruneResult } from './git';
import { agentNames, applyOverrides, type ApplyReport, applyWorktreeRun, branchWorktreeRun, changesOfRun, checkpointBytes, discardWorktreeRun, filesOfRun, gcCheckpoints, resumeRun as resumePipeline, rollbackOfRun, specsWaitingInWorktrees, startAudit, startFromSpec, startRun, syncOutsideRun, type WorktreeGcResult } from './pipeline/run';
import { type AuditChoices, type AuditRequest, auditChoices as choicesFor } from './pipeline/audit';
import { journalEntryLines, runEventLines } from './sinks';
import { openQueueStore, QueueService } from './queue';
import { EngineUsageError } from './errors';
import { sandboxSupport } from './sandbox';
import { fileRecord, runnerChoices as choicesOf, type CliAgentChoice, type LayerRunner, type RunnerChoices, type RunnerRecord, runnerStats, type RunnerStatsRow, setRunner as writeRunner, type StatsFilter } from './runners';
import { type TraceExport, type TraceReport, traceSpecMatrix } from './trace';
import { driftRoom, type VerifyOptions, type VerifyReport } from './drift';
import { type ChangeOutcome, type FollowUpInput, requestChange as queueChange, followUpRun as startFollowUp, useAttempt as queueSwap, type UseAttemptOutcome } from './change';
import { type AttemptDiff, attemptDiff as diffOfAttempt, attemptsOfRun, type LayerAttempts } from './pipeline/attempts';
export type { AttemptDiff, AttemptView, LayerAttempts } from './pipeline/attempts';
export type { UseAttemptOutcome } from './change';
export type { FollowUpInput } from './change';
import { checkWorkflowFile, listWorkflows as listWorkspaceWorkflows, type WorkflowListing } from './project/workflows';
export type { WorkflowListing } from './project/workflows';
export type { DictionaryReport } from './census';

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
  return importRoom().importSpecFolder(root, folder, await loadConfig(root));
}
/** The human's layer for tasks of a spec that name no file (`approve … --assign "3.2=backend"`, the sidebar's picker), before approving it. */
export async function assignLayers(workspace: string, specId: string, assignments: readonly LayerAssignment[]): Promise<void> {
  const root = resolve(workspace);
  const spec = await loadSpec(root, specId);
  await importRoom().assignTaskLayers(root, spec.path, assignments, await loadConfig(root));
}
export async function resumeRun(runId: string | undefined, opts: RunOptions): Promise<RunSummary> {
  return resumePipeline(runId, opts);
}
/**
 * Saved specs; an active one lists its work no layer owns (`unowned`) while the config loads.
 * Mustard's spec folders follow, with Mustard's stage and outcome, then the Kiro and Spec Kit
 * folders not imported yet (an imported one is listed as its spec; the import room reads them
 * only when there are some).
 */
export async function listSpecs(workspace: string): Promise<SpecInfo[]> {
  const root = resolve(workspace);
  const config = await loadConfig(root).catch(() => undefined);
  const unowned = config ? (text: string) => withLayerPicks([...unownedWork(text, config), ...pendingProposalItems(text)].sort((a, b) => a.line - b.line), Object.keys(config.layers)) : undefined;
  const [ours, mustard, waiting, folders] = await Promise.all([listStoredSpecs(root, unowned), listMustardSpecs(root), specsWaitingInWorktrees(root, unowned), findForeignFolders(root)]);
  const imported = new Set([...ours, ...waiting].flatMap((s) => (s.source ? [s.source] : [])));
  const open = folders.filter((f) => !imported.has(f.dir));
  const foreign = open.length > 0 ? await importRoom().listForeignSpecs(root, open) : [];
  return [...ours, ...mustard, ...waiting, ...foreign];
}
export async function listRuns(workspace: string): Promise<RunInfo[]> {
  return listJournaledRuns(resolve(workspace));
}
/** One run as `listRuns` lists it, reading its journal alone; undefined without a journal. */
export async function runInfo(workspace: string, runId: string): Promise<RunInfo | undefined> {
  return journaledRunInfo(resolve(workspace), runId);
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
/** `orchestrator init` / Initialize Workspace: the census written as `.claude/` (an existing config is kept unless `force`). */
export async function initWorkspace(workspace: string, templatesDir: string, options: Omit<InitOptions, 'templatesDir'>): Promise<InitReport> {
  return censusRoom().initFromCensus(resolve(workspace), { ...options, templatesDir });
}
/**
 * The census of a workspace, verified when asked (and trusted): what Initialize Workspace shows
 * before anything is written, and whether accepting it would replace a config.
 */
export async function proposeWorkspace(
  workspace: string,
  options: { verify: boolean; trusted: boolean; signal?: AbortSignal } & Pick<InitOptions, 'onStart' | 'onProgress'>,
): Promise<{ census: Census; configExists: boolean }> {
  const root = resolve(workspace);
  const room = censusRoom();
  const census = await room.takeCensus(root);
  const { verify, trusted, ...hooks } = options;
  if (verify) await room.verifyCensus(root, census, { trusted, ...hooks });
  const configExists = (await readOptionalText(join(root, CONFIG_FILE))) !== undefined;
  return { census, configExists };
}
/**
 * `orchestrator gc`: prunes checkpoint refs beyond `checkpoints.keep`, and removes the worktrees
 * and worktree refs of runs applied, branched, discarded or gone (issue 22).
 */
export async function gc(workspace: string): Promise<PruneResult & Partial<WorktreeGcResult>> {
  return gcCheckpoints(workspace);
}
/** A finished worktree run's result merged into the working tree (HEAD, index and branch untouched); throws ApplyConflictError on a conflict, having written nothing. */
export async function applyRun(workspace: string, runId: string): Promise<ApplyReport> {
  return applyWorktreeRun(workspace, runId);
}
/** A finished worktree run kept as a new branch (default `orchestrator/<spec slug>`); the checkout is untouched. */
export async function branchRun(workspace: string, runId: string, name?: string): Promise<{ branch: string; commit: string }> {
  return branchWorktreeRun(workspace, runId, name);
}
/** A worktree run dropped: its worktree and refs removed. */
export async function discardRun(workspace: string, runId: string): Promise<{ removed: string }> {
  return discardWorktreeRun(workspace, runId);
}
/** Where a new run works by default: the config's `isolation` (in-place when the config does not load). */
export async function defaultIsolation(workspace: string): Promise<'in-place' | 'worktree'> {
  return (await loadConfig(resolve(workspace)).catch(() => undefined))?.isolation ?? 'in-place';
}
/** Where a run's files are now: its worktree while it waits for Apply, else the workspace. */
export async function runFilesRoot(workspace: string, runId: string): Promise<string> {
  return filesOfRun(workspace, runId);
}
export async function syncRegistry(opts: RunOptions): Promise<void> {
  return syncOutsideRun(opts);
}
/** The traceability matrix of a spec from its runs' journals (seed 000); written as .xlsx / Markdown when asked. */
export async function traceSpec(workspace: string, specId: string, exports: TraceExport = {}): Promise<TraceReport> {
  return traceSpecMatrix(workspace, specId, exports);
}
/**
 * A change request to a run's approved spec: a run going now picks it up between steps; a
 * stopped, cancelled or interrupted one is resumed with it. The amendment goes through the spec gate.
 */
export async function requestChange(runId: string, request: string, opts: Pick<RunOptions, 'workspace'> & Partial<RunOptions>, options: { resume?: boolean } = {}): Promise<ChangeOutcome> {
  return queueChange(runId, request, opts, options);
}
/** A run's attempts, layer by layer (docs/attempts.md): each with its runner, figures, diff stat, and the one in the run. */
export async function runAttempts(workspace: string, runId: string): Promise<LayerAttempts[]> {
  const root = resolve(workspace);
  assertSafeRunId(runId);
  if (!hasJournal(root, runId)) throw new EngineUsageError(`No run ${runId} in this workspace (see \`orchestrator runs\`).`);
  return attemptsOfRun(readEvents(root, runId));
}
/** What attempt `k` of `layer` changed: each file's unified diff against the attempts' base (the sidebar shows it beside the attempt's figures). */
export async function attemptDiff(workspace: string, runId: string, layer: string, k: number): Promise<AttemptDiff> {
  const root = resolve(workspace);
  return diffOfAttempt(root, runId, await runAttempts(root, runId), layer, k);
}
/**
 * Another of a layer's attempts instead of the one the run kept, before the run completes: a run
 * going now takes it between waves or before its review (and re-runs the layers after it); a
 * stopped one is resumed with it.
 */
export async function useAttempt(runId: string, layer: string, k: number, opts: Pick<RunOptions, 'workspace'> & Partial<RunOptions>, options: { resume?: boolean } = {}): Promise<UseAttemptOutcome> {
  return queueSwap(runId, layer, k, opts, options);
}
/**
 * A follow-up of a completed worktree run (issue 39): a new run from the head of its branch with
 * the same approved spec, where only a layer sent back with a failure found outside (`fix`), or
 * the layers a change request's approved amendment touches (`change`), work again; its result,
 * kept with `branchRun(…, sameBranch)`, is a commit on top of that branch.
 */
export async function followUpRun(runId: string, input: FollowUpInput, opts: RunOptions): Promise<RunSummary> {
  return startFollowUp(runId, input, opts);
}
/**
 * Drift: completed specs (all of them when `specIds` is empty) against today's code, each
 * requirement `holds`, `changed` or `broken` with its evidence; no model call.
 */
export async function verifySpecs(workspace: string, specIds: readonly string[], options: VerifyOptions): Promise<VerifyReport> {
  return driftRoom().verifySpecs(workspace, specIds, options);
}
/** A run's events as CloudEvents JSON lines in seed 003's vocabulary, or its raw journal lines. */
export async function runEvents(workspace: string, runId: string, format: 'cloudevents' | 'journal' = 'cloudevents'): Promise<string[]> {
  return runEventLines(resolve(workspace), runId, format);
}
/** `events` of a journal kept elsewhere (a pooled run's, read from the pool): the same lines as runEvents. */
export async function journalEvents(workspace: string, runId: string, entries: readonly JournalEntry[], format: 'cloudevents' | 'journal' = 'cloudevents'): Promise<string[]> {
  return journalEntryLines(resolve(workspace), runId, entries, format);
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
export async function openQueue(workspace: string, opts: { trusted: boolean; say?: (line: string) => void }): Promise<QueueService> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  // The server a workspace names is not contacted from an untrusted workspace (as its webhook is not).
  if (config.queue.url && !opts.trusted) throw new EngineUsageError('Restricted Mode: the team queue at queue.url is not contacted until you trust the workspace.');
  const queue = new QueueService({ workspace: root, config, store: await openQueueStore(root, config, opts.say), trusted: opts.trusted });
  // An approval a killed process left half done is undone before anything else reads the workspace.
  for (const line of await queue.recoverApprovals()) opts.say?.(line);
  return queue;
}

/** The demo's workspace: the sample shop copied into `folder` (default: a new temp folder), on the scripted model. */
export async function prepareDemo(sampleDir: string, folder?: string): Promise<DemoWorkspace> {
  return prepareDemoWorkspace(sampleDir, folder);
}

/** Each layer's and role's runner, the CLI agents' status and the sandbox they run in: the sidebar's runner picker (issues 27, 36). */
export async function runnerChoices(workspace: string, opts: { trusted: boolean }): Promise<RunnerChoices & { sandbox: SandboxStatus }> {
  const [choices, sandbox] = await Promise.all([choicesOf(resolve(workspace), opts), sandboxStatus()]);
  return { ...choices, sandbox };
}

/** The sandbox as hosts show it (docs/cli.md: `runners --json` entries carry `{available, kind, reason?}`). */
export interface SandboxStatus {
  available: boolean;
  kind: 'bubblewrap' | 'seatbelt' | 'none';
  reason?: string;
  enforces: string[];
}

/**
 * Whether this machine can sandbox agents and commands, and what it enforces (issue 36): `runners`,
 * the sidebar. Probed once per process; `again` probes anew (the Action, after it readied a runner).
 */
export async function sandboxStatus(opts: { again?: boolean } = {}): Promise<SandboxStatus> {
  const { available, kind, reason, enforces } = await sandboxSupport(opts.again);
  return { available, kind, ...(reason ? { reason } : {}), enforces: [...(enforces ?? [])] };
}

/** Sets a layer's (or a role's) runner in `.claude/orchestrator.yaml`, keeping the rest of the file as it was. */
export async function setRunner(workspace: string, target: { layer: string } | { role: string }, runner: LayerRunner): Promise<void> {
  return writeRunner(resolve(workspace), target, runner);
}

/**
 * The runners' record as a table (issue 47): `runners stats`, the sidebar. `record`: where it is
 * kept (the pool's database); default this repository's file on this machine.
 */
export async function runnersStats(workspace: string, filter: StatsFilter = {}, record: RunnerRecord = fileRecord(resolve(workspace))): Promise<RunnerStatsRow[]> {
  return runnerStats(await record.read(filter.layer !== undefined ? { layer: filter.layer } : {}), filter);
}

/**
 * Which CLI agents this machine has, their versions and whether they are signed in (issue 27):
 * `orchestrator runners` and the sidebar. The config's `agentCli.<r>.command` is honoured; in an
 * untrusted workspace a command it names is located but not started.
 */
export async function cliAgents(workspace: string, opts: { trusted: boolean }): Promise<Array<CliAgentChoice & { sandbox: Omit<SandboxStatus, 'enforces'> }>> {
  const [choices, { enforces: _enforces, ...sandbox }] = await Promise.all([choicesOf(resolve(workspace), opts), sandboxStatus()]);
  return choices.clis.map((cli) => ({ ...cli, sandbox }));
}

/** The workflows this workspace can run (`.claude/workflows/*.yaml`, then the shipped ones), each with its phases and gates. */
export async function listWorkflows(workspace: string, templatesDir?: string): Promise<WorkflowListing[]> {
  return listWorkspaceWorkflows(resolve(workspace), templatesDir);
}
/** `workflow check <file>`: the file validated as a run loads it; a problem throws ProjectFileError (file, line, key). */
export async function checkWorkflow(workspace: string, file: string): Promise<Omit<WorkflowListing, 'origin'>> {
  return checkWorkflowFile(resolve(workspace), file);
}
/** A spec waiting at the approval gate as the portal shows it: its text and the decision recorded on it. */
export interface GateSpec extends SpecInfo {
  markdown: string;
  decision?: RecordedSpecDecision;
}
/** Specs of this workspace waiting for approval (not Mustard's, Kiro's or Spec Kit's folders nor worktree runs' specs: those are decided where they run). */
export async function specsAtGate(workspace: string): Promise<GateSpec[]> {
  const root = resolve(workspace);
  const waiting = (await listSpecs(root)).filter((s) => !s.mustard && !s.foreign && !isAbsolute(s.path) && WAITING_SPEC_STATUSES.includes(s.status));
  return Promise.all(waiting.map(async (info) => {
    const spec = await loadSpec(root, info.id);
    const decision = recordedDecision(spec);
    return { ...info, markdown: spec.body, ...(decision ? { decision } : {}) };
  }));
}
/** A named person's decision on a waiting spec (the portal): recorded, never run here (specDecisionRecord.ts). */
export async function decideSpecAs(workspace: string, specId: string, input: { action: SpecGateAction; by: string; feedback?: string }): Promise<void> {
  if (!SPEC_ID.test(specId)) throw new SpecGateError(`invalid spec id "${specId}"`);
  const root = resolve(workspace);
  if (input.action === 'approve') {
    // Tasks nothing placed are refused with the sentence the gate showed, before any other check.
    const placement = gatePlacement((await loadSpec(root, specId).catch(() => undefined))?.body ?? '', await loadConfig(root));
    if (placement?.unplaced) throw new SpecGateError(`spec ${specId} was not approved: ${placement.unplaced}; give each its layer (the layer picker, \`/changes <task>=<layer>\` on GitHub, or \`orchestrator approve ${specId} --assign "<task>=<layer>"\`), or add a layer that owns this work`);
  }
  await recordSpecDecision(root, specId, input);
}
/** Runs of this workspace waiting at a workflow phase's human gate, live or saved (the portal, issue 29). */
export async function phaseGatesWaiting(workspace: string): Promise<PhaseGate[]> {
  return waitingPhaseGates(resolve(workspace));
}
/** A named person's decision on a run's phase gate (the portal): recorded, never run here (phaseGateRecord.ts). */
export async function decidePhaseGateAs(workspace: string, input: { runId: string; phase: string; asked: number; action: SpecGateAction; by: string; feedback?: string }): Promise<PhaseGate> {
  return recordPhaseDecision(resolve(workspace), input);
}
/** `check dictionary`: docs/data/dictionary.md against the schema the census finds; every difference named. */
export async function checkDictionary(workspace: string): Promise<DictionaryReport> {
  return censusRoom().checkDictionary(resolve(workspace));
}
