/**
 * Starting, resuming and ending runs. An in-place run holds the workspace lock for its whole
 * life, a run in its own worktree that worktree's lock and a run slot (worktreeRun.ts); each
 * appends every event to its journal and to the host, and ends in exactly one of: a
 * completed summary (`run.completed`), a stop with its report (`run.stopped`), or a
 * cancellation that leaves the journal resumable (no terminal event).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunOptions, RunSummary } from '../../api';
import {
  acquireRunLock,
  assertSafeRunId,
  findLatestResumableRun,
  hasJournal,
  Journal,
  listRuns,
  newRunId,
  readEvents,
  rebuildState,
  runsDir,
} from '../../journal';
import { spreadSubfolders } from '../../sandbox';
import { changesAsked, phaseOfLast, type SavedChanges } from './savedChanges';
import { loadSpec, approveSpec as markApproved } from '../../project/specs';
import { type AuditRequest, readAuditFacts, resolveAuditSettings } from '../audit';
import { EngineUsageError } from '../../errors';
import { readFacts } from '../kernel';
import { workflowOfRun } from '../workflow';
import { approvalDeclined, confirmUnownedWork, takeProposalCosts, tasksAssigned } from '../phases';
import { prepareRun, preparedFor, type PreparedRun } from './runSetup';
import { placeOf, planWorktree, type WorktreePlace } from './worktreeRun';
import { takeRunSlot } from './runSlots';
import { execute, journalSecrets, type RunStart } from './runBody';

export async function startRun(opts: RunOptions, start: RunStart, prepared?: PreparedRun): Promise<RunSummary> {
  // The workflow first: the run opens its roles' providers and runners with everyone else's.
  start.workflow ??= await workflowOfRun(resolve(opts.workspace), start.kind, opts.workflow, opts.templatesDir);
  const ready =
    prepared && preparedFor(prepared, start.workflow)
      ? prepared
      : await prepareRun(opts, prepared?.agents.kind ?? start.kind, start.workflow);
  const runId = opts.runId ?? newRunId();
  if (opts.runId) assertUsableRunId(runId);
  const { config } = ready.project;
  // The workspace's run lock is for in-place runs; a worktree run takes a run slot and its worktree's lock.
  const place =
    (opts.isolation ?? config.isolation) === 'worktree'
      ? await planWorktree(ready.workspace, config, opts.host, runId)
      : undefined;
  // In place only where the workspace is a checkout made for it (a pool worker's: change/followUp.ts `here`).
  if (start.followUp && !place && opts.isolation !== 'in-place')
    throw new EngineUsageError('A follow-up run works in a worktree.');
  if (place && (start.followUp || opts.baseCommit)) place.base = start.followUp?.base ?? opts.baseCommit;
  const releaseSlot = place ? await takeSlot(ready, opts, place) : undefined;
  const lock = place ? undefined : acquireRunLock(ready.workspace, runId);
  let journal: Journal | undefined;
  try {
    journal = Journal.create(ready.workspace, runId, { secrets: journalSecrets(ready, opts) });
    // A checkout's runs folder gets a folder per run, in a block group of its own (sandbox/spreadFolder.ts);
    // not a place made for this one run (a pool worker's, an Action job's: `isolation: in-place`).
    if (opts.isolation !== 'in-place') void spreadSubfolders(runsDir(ready.workspace));
    return await execute(ready, opts, runId, start, journal, [], place);
  } finally {
    journal?.close();
    lock?.release();
    releaseSlot?.();
  }
}

async function takeSlot(ready: PreparedRun, opts: RunOptions, place: WorktreePlace): Promise<() => void> {
  const max = ready.project.config.limits.concurrentRuns;
  const say = (inUse: number) =>
    opts.host.onEvent({
      type: 'log',
      level: 'info',
      message: `Waiting for a run slot: ${inUse} of limits.concurrentRuns (${max}) in use`,
    });
  return takeRunSlot(ready.workspace, place.folder, max, say, opts.signal);
}

/** `approve <specId>`: a new run implementing a spec saved earlier. */
export async function startFromSpec(specId: string, opts: RunOptions): Promise<RunSummary> {
  const prepared = await prepareRun(opts, 'approval');
  // A spec saved by a worktree run waits in that run's worktree: approving it continues that run there.
  // A run saved at a workflow phase's human gate continues at that gate, approved.
  const waiting = listRuns(prepared.workspace).find(
    (run) =>
      run.specId === specId &&
      run.status === 'spec-saved' &&
      (run.gate !== undefined || run.worktree?.outcome === 'pending'),
  );
  if (waiting) return resumeRun(waiting.runId, opts, specId);
  const spec = await loadSpec(prepared.workspace, specId).catch((error: unknown) => {
    if (error instanceof Error && error.name !== 'ProjectFileError') throw new EngineUsageError(error.message);
    throw error;
  });
  if (spec.location === 'completed' || spec.frontMatter.status === 'completed') {
    throw new EngineUsageError(`spec ${specId} is already completed`);
  }
  const { workspace, project } = prepared;
  const declined = await confirmUnownedWork(
    { workspace, config: project.config, host: opts.host, specId, specPath: spec.path, opts, answers: opts },
    { emit: (event) => opts.host.onEvent(event) },
  );
  if (declined) throw approvalDeclined(specId, spec.path, declined, project.config);
  const assigned = await tasksAssigned(workspace, specId, spec.path);
  const charged = await takeProposalCosts(workspace, specId);
  // The spec saved by a run of another workflow is implemented by that workflow (unless the host names one).
  const savedBy = listRuns(prepared.workspace).find(
    (run) => run.specId === specId && run.status === 'spec-saved' && run.workflow,
  );
  const workflow = opts.workflow ?? savedBy?.workflow;
  return startRun(
    workflow ? { ...opts, workflow } : opts,
    {
      kind: spec.frontMatter.kind,
      request: spec.frontMatter.title,
      specId,
      ...(assigned ? { assigned } : {}),
      ...(charged.length > 0 ? { charged } : {}),
    },
    prepared,
  );
}

/** `audit <path>`: a new audit-to-target run; its target, dimension and limits are checked before any model call. */
export async function startAudit(request: AuditRequest, opts: RunOptions): Promise<RunSummary> {
  const prepared = await prepareRun(opts, 'audit');
  const settings = await resolveAuditSettings(prepared.workspace, prepared.project.config, request, opts.templatesDir);
  const label = `audit ${settings.target === '.' ? 'the workspace' : settings.target} (${settings.dimension}) to ${settings.targetScore}/100`;
  return startRun(opts, { kind: 'audit', request: label, audit: settings }, prepared);
}

export type { SavedChanges } from './savedChanges';

/**
 * Continues a run at its first unfinished step: the one named, else the latest that did not
 * complete (interrupted, cancelled or stopped; see isResumableStatus). `deciding`: the spec a
 * run saved, approved now (its id): the run continues after SPEC (a worktree run, or a pooled run
 * on whichever worker takes it); or changes asked of it: the run resumes at its gate, the spec
 * agent (or the phase's role) writes again with the feedback, and the gate asks again.
 */
export async function resumeRun(
  runId: string | undefined,
  opts: RunOptions,
  deciding?: string | SavedChanges,
): Promise<RunSummary> {
  const workspace = resolve(opts.workspace);
  const warn = (message: string) => opts.host.onEvent({ type: 'log', level: 'warn', message });
  const id = runId ?? findLatestResumableRun(workspace, warn)?.runId;
  if (!id)
    throw new EngineUsageError(
      'There is no run to resume in this workspace: every run completed, saved its spec, or was rolled back (see `orchestrator runs`).',
    );
  assertUsableRunId(id);
  if (!hasJournal(workspace, id)) throw new EngineUsageError(`No run ${id} in this workspace.`);
  const previous = readEvents(workspace, id);
  const state = rebuildState(previous);
  // The agents of the run's kind (from its journal): a missing key names only those.
  const workflow = state.kind
    ? await workflowOfRun(workspace, state.kind, state.workflow, opts.templatesDir)
    : undefined;
  const prepared = await prepareRun(opts, state.kind ?? 'any', workflow);
  const place = state.worktree ? await placeOf(workspace, prepared.project.config, state) : undefined;
  // A worktree run's lock is its worktree's: taken before the journal is touched, so a second
  // process resuming the same run is refused without writing a line.
  const lock = place
    ? existsSync(place.root)
      ? acquireRunLock(place.root, id)
      : undefined
    : acquireRunLock(workspace, id);
  const releaseSlot = place
    ? await takeSlot(prepared, opts, place).catch((error: unknown) => {
        lock?.release();
        throw error;
      })
    : undefined;
  let journal: Journal | undefined;
  try {
    const approving = typeof deciding === 'string' ? deciding : undefined;
    const approvingHere = approving !== undefined && state.status === 'spec-saved';
    const changingHere = typeof deciding === 'object' && state.status === 'spec-saved';
    // A run saved at a phase's human gate resumes there: the gate asks again.
    const atGate = state.status === 'spec-saved' && state.waitingGate !== undefined;
    if (state.status === 'completed' || (state.status === 'spec-saved' && !approvingHere && !changingHere && !atGate)) {
      const hint =
        state.status === 'spec-saved' && state.specId
          ? `; approve its spec with: orchestrator approve ${state.specId}`
          : '';
      throw new EngineUsageError(`Run ${id} already finished (${state.status})${hint}.`);
    }
    if (state.status === 'rolled-back')
      throw new EngineUsageError(`Run ${id} was rolled back; start a new run instead.`);
    if (state.worktree && state.worktree.outcome !== 'pending')
      throw new EngineUsageError(`Run ${id} was ${state.worktree.outcome}; start a new run instead.`);
    if (!state.kind || state.request === undefined)
      throw new EngineUsageError(`Run ${id} has no run.started event; it cannot be resumed.`);
    const facts = readFacts(previous);
    const start: RunStart = {
      kind: state.kind,
      request: state.request,
      ...(facts.fromSpec && facts.specId ? { specId: facts.specId } : {}),
    };
    start.workflow = workflow;
    if (state.kind === 'audit') {
      const settings = readAuditFacts(previous).settings;
      if (!settings)
        throw new EngineUsageError(`Run ${id} is an audit without its settings in the journal; it cannot be resumed.`);
      // The budget is the one thing a resume may change (`resume --max-budget`, the editor's setting).
      start.audit = { ...settings, maxBudgetUsd: opts.overrides?.limits?.maxBudgetUsd ?? settings.maxBudgetUsd };
    }
    if (changingHere) {
      start.decision = changesAsked(deciding, state.waitingGate);
      const written = state.waitingGate === undefined ? phaseOfLast(previous, 'spec.saved') : undefined;
      if (written) start.reopened = written;
    } else if (approvingHere && state.waitingGate !== undefined)
      start.decision = { type: 'phase.approved', phase: state.waitingGate };
    else if (approvingHere) {
      const where = place?.workspace ?? workspace;
      start.decision = await approveSaved(prepared, opts, where, approving);
      const charged = await takeProposalCosts(where, approving);
      if (charged.length > 0) start.charged = charged;
      const assigned = await tasksAssigned(where, approving, (await loadSpec(where, approving)).path);
      if (assigned) start.assigned = assigned;
    }
    journal = Journal.open(workspace, id, { secrets: journalSecrets(prepared, opts) });
    return await execute(
      prepared,
      opts,
      id,
      start,
      journal,
      previous,
      place && { ...place, ...(lock ? { lock } : {}) },
    );
  } finally {
    journal?.close();
    lock?.release();
    releaseSlot?.();
  }
}

/** `approve <specId>` of a spec its run saved (in the run's worktree, or a pooled run's): approved there; the run journals it and continues after SPEC. */
async function approveSaved(
  prepared: PreparedRun,
  opts: RunOptions,
  workspace: string,
  specId: string,
): Promise<NonNullable<RunStart['decision']>> {
  const spec = await loadSpec(workspace, specId);
  const { config } = prepared.project;
  // Saved at its run's gate, the spec was shown there with the model's placement: approving it accepts that.
  const declined = await confirmUnownedWork(
    {
      workspace,
      config,
      host: opts.host,
      specId,
      specPath: spec.path,
      opts,
      answers: { ...opts, placementShown: true },
    },
    { emit: (event) => opts.host.onEvent(event) },
  );
  if (declined) throw approvalDeclined(specId, spec.path, declined, config);
  await markApproved(workspace, specId);
  return { type: 'spec.approved', specId };
}

/** Values the journal redacts wherever they appear: the API key and the webhook's secret. */
function assertUsableRunId(runId: string): void {
  try {
    assertSafeRunId(runId);
  } catch (error) {
    throw new EngineUsageError((error as Error).message);
  }
}
