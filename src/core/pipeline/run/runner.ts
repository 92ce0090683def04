/**
 * Starting, resuming and ending runs. An in-place run holds the workspace lock for its whole
 * life, a run in its own worktree that worktree's lock and a run slot (worktreeRun.ts); each
 * appends every event to its journal and to the host, and ends in exactly one of: a
 * completed summary (`run.completed`), a stop with its report (`run.stopped`), or a
 * cancellation that leaves the journal resumable (no terminal event).
 */
import { removeAgentWorktrees, runRunnerOf } from '../../runners';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunOptions, RunStatus, RunSummary } from '../../api';
import { checkpointRef, pruneCheckpointRefs } from '../../git';
import type { EngineEvent, RunKind } from '../../events';
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
  type RunLock,
  type StateEvent,
} from '../../journal';
import { changesAsked, phaseOfLast, type SavedChanges } from './savedChanges';
import { Budget } from '../../llm';
import { redactDeep, urlPassword } from '../../text/secrets';
import { loadSpec, approveSpec as markApproved, reopenCompleted, updateSpecStatus } from '../../project/specs';
import { auditPipeline, type AuditRequest, auditSummaryOf, readAuditFacts, resolveAuditSettings } from '../audit';
import type { AuditSettings } from '../../auditTypes';
import { bugfixPipeline } from '../bugfix';
import { AmendmentSaved, EngineUsageError, RunCancelled, RunStop } from '../../errors';
import { CommandFiles, createRunContext, readFacts, type RunContext } from '../kernel';
import type { Workflow } from '../../project/workflows';
import { journaledWorkflow, runWorkflow, workflowOfRun } from '../workflow';
import {
  approvalDeclined,
  confirmUnownedWork,
  type ProposalUsage,
  takeProposalCosts,
  tasksAssigned,
  type TasksAssigned,
} from '../phases';
import { prepareRun, preparedFor, type PreparedRun } from './runSetup';
import { buildSummary } from './summary';
import { keepRunnerRecord } from './runRecord';
import { openWorktree, placeOf, planWorktree, type WorktreePlace } from './worktreeRun';
import { runAttemptsOf } from '../attempts';
import { sharedLimiter, takeRunSlot } from './runSlots';
import { RunSink, webhookTarget } from '../../sinks';
import { removeCommandPrivateDir } from '../../process';

interface RunStart {
  kind: RunKind;
  request: string;
  specId?: string;
  /** An audit's settings (its budget the one in force for this session). */
  audit?: AuditSettings;
  /** The workflow a feature (or a bugfix given one) follows, loaded before the journal exists. */
  workflow?: Workflow;
  /**
   * The decision a saved run resumes with (`spec.approved`, or `phase.approved` at a phase's gate;
   * changes asked: `spec.changes-requested`, or `phase.decided` at a phase's gate, which the gate
   * applies as its host's answer): journaled first, through the run's host like every event, so a
   * pooled run's database journal and the webhook have it too.
   */
  decision?: Extract<
    EngineEvent,
    { type: 'spec.approved' | 'phase.approved' | 'spec.changes-requested' | 'phase.decided' }
  >;
  /** The phase a saved spec was written in, opened again after the changes asked of it (its spec agent writes again, its gate asks again). */
  reopened?: string;
  /** An imported spec's tasks that name no file: the layer each got and where from, as approved (journaled at start). */
  assigned?: TasksAssigned;
  /** The model calls that proposed layers for the spec's tasks naming no file, made before the run: charged to it (budget and journal). */
  charged?: ProposalUsage[];
  /** A follow-up of a completed worktree run (change/followUp.ts): journaled after run.started; its worktree starts at `base`. */
  followUp?: Extract<EngineEvent, { type: 'followup.started' }>;
}

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
    (question, answer) => opts.host.onEvent({ type: 'confirmation', question, answer }),
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

async function execute(
  prepared: PreparedRun,
  opts: RunOptions,
  runId: string,
  start: RunStart,
  journal: Journal,
  previousEvents: StateEvent[],
  place: WorktreePlace | undefined,
): Promise<RunSummary> {
  // Seed 003's sinks (evidence beside the journal, the webhook and its outbox) see every event the host sees.
  const sinks = new RunSink({
    workspace: prepared.workspace,
    runId,
    config: prepared.project.config,
    host: opts.host,
    previous: previousEvents,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    return await runPipeline(
      prepared,
      { ...opts, host: sinks.host },
      runId,
      start,
      journal,
      previousEvents,
      sinks,
      place,
    );
  } finally {
    await sinks.close();
  }
}

async function runPipeline(
  prepared: PreparedRun,
  opts: RunOptions,
  runId: string,
  start: RunStart,
  journal: Journal,
  previousEvents: StateEvent[],
  sinks: RunSink,
  place: WorktreePlace | undefined,
): Promise<RunSummary> {
  const { project } = prepared;
  // Agents, validation, review and the audit's tests work in the worktree when there is one.
  const workspace = place?.workspace ?? prepared.workspace;
  const previous = rebuildState(previousEvents);
  const late: { emit?: RunContext['emit'] } = {};
  const ctx = createRunContext({
    ...project,
    runId,
    kind: start.kind,
    request: start.request,
    workspace,
    home: prepared.workspace,
    opts: { ...opts, workspace },
    mustard: prepared.mustard,
    budget: new Budget(
      start.audit?.maxBudgetUsd ?? project.config.limits.maxBudgetUsd,
      previous.costUsd,
      project.config.limits.maxRequests,
      previous.unpricedRequests,
      opts.sharedBudget,
    ),
    limit: sharedLimiter(prepared.workspace, project.config.limits.concurrency),
    journal,
    previousEvents,
    clientFor: (agent) => prepared.models.clientFor(agent, (event) => late.emit?.(event)),
  });
  late.emit = ctx.emit;
  sinks.attach(ctx.emit);
  opts.journalOwn?.((event) => ctx.emit(event));
  if (start.decision) ctx.emit(start.decision);
  // Journaled as started, the saved spec's phase is not skipped as done: it runs again.
  if (start.reopened) ctx.emit({ type: 'phase.started', phase: start.reopened });
  const runRunner = runRunnerOf(opts.runner, previousEvents);
  const runAttempts = runAttemptsOf(opts.attempts, previousEvents);
  ctx.emit({
    type: 'run.started',
    runId,
    kind: start.kind,
    request: start.request,
    ...(start.specId ? { specId: start.specId } : {}),
    ...(runRunner ? { runner: runRunner } : {}),
    ...(runAttempts ? { attempts: runAttempts } : {}),
    ...journaledWorkflow(start.kind, start.workflow),
    ...(opts.allowUntested ? { allowUntested: true as const } : {}),
    ...(project.config.sandbox.mode === 'off' ? { sandbox: 'off' as const } : {}),
  });
  if (project.config.sandbox.mode === 'off') ctx.emit({ type: 'sandbox.off' });
  if (start.assigned) ctx.emit(start.assigned);
  for (const usage of start.charged ?? []) {
    ctx.budget.charge(usage.priced === false ? undefined : usage.costUsd);
    ctx.emit(usage);
  }
  if (start.followUp) ctx.emit(start.followUp);
  if (previousEvents.length > 0)
    ctx.emit({
      type: 'log',
      level: 'info',
      message: `Resumed run ${runId} after event ${previousEvents.at(-1)?.seq ?? 0}`,
    });
  // Registry and memory content we could not fully understand: the run goes on, and says so.
  for (const warning of [...project.warnings, ...prepared.mustard.warnings]) ctx.warn(warning);
  for (const warning of prepared.models.warnings) ctx.warn(warning);
  // Beside the first phases, not before them: it only deletes older runs' refs (git, a few
  // hundred ms), and nothing before CHECKPOINT needs it. Awaited before the run ends.
  const pruning = pruneAtStart(ctx);

  // Errors and reports echo what went wrong (URLs, command output): no credential leaves with them.
  const summary = (status: RunStatus, extra?: { error?: string; report?: string }): RunSummary => {
    const audit = start.audit ? auditSummaryOf(ctx.events) : undefined;
    const worktree = ctx.state().worktree?.path;
    const built = {
      ...buildSummary(runId, ctx.state(), ctx.facts(), status, extra),
      ...(audit ? { audit } : {}),
      ...(worktree ? { worktree } : {}),
      ...(project.config.sandbox.mode === 'off' ? { sandbox: 'off' as const } : {}),
    };
    return redactDeep(built, journalSecrets(prepared, opts)).value;
  };
  let worktreeLock: RunLock | undefined;
  try {
    if (place) worktreeLock = await openWorktree(ctx, prepared.workspace, place);
    // A follow-up continues a completed spec: approved again in its worktree until its COMPLETE.
    if (ctx.events.some((e) => e.type === 'followup.started') && ctx.facts().specId)
      await reopenCompleted(workspace, ctx.facts().specId!);
    // What the configured commands execute, hashed where they will run (after any worktree setup).
    ctx.commandFiles = await CommandFiles.take(workspace, project.config);
    const outcome = await (start.audit
      ? auditPipeline(ctx, start.audit)
      : start.workflow
        ? runWorkflow(ctx, start.workflow)
        : bugfixPipeline(ctx));
    await pruning;
    const done = summary(outcome);
    await keepRunnerRecord(ctx);
    ctx.emit({ type: 'run.completed', runId, summary: done });
    await removeAgentWorktreesOf(ctx);
    return done;
  } catch (error) {
    await pruning; // never rejects: a failure is a warning
    if (error instanceof RunStop) {
      await keepRunnerRecord(ctx);
      ctx.emit({
        type: 'run.stopped',
        runId,
        reason: error.reason,
        report: error.report,
        ...(error.untested ? { untested: error.untested } : {}),
      });
      await markSpecStopped(ctx);
      return summary('stopped', { error: error.message, report: error.report });
    }
    if (error instanceof AmendmentSaved) {
      const saved = summary('spec-saved');
      ctx.emit({ type: 'run.completed', runId, summary: saved });
      return saved;
    }
    if (error instanceof RunCancelled || opts.signal?.aborted) {
      // A host that sets the run aside (it waits for an answer given elsewhere) aborts with why.
      const aside = typeof opts.signal?.reason === 'string' ? opts.signal.reason : undefined;
      ctx.emit({
        type: 'log',
        level: 'warn',
        message: aside
          ? `Run ${runId} set aside: ${aside}`
          : `Run ${runId} cancelled; continue it with: orchestrator resume ${runId}`,
      });
      return summary('cancelled', { error: 'cancelled' });
    }
    ctx.emit({ type: 'log', level: 'error', message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    worktreeLock?.release();
    // The run's sandboxed commands' private HOME and caches go with it (a resume makes new ones).
    removeCommandPrivateDir(runId);
  }
}

/** A completed run's CLI agents' worktrees go (a stopped run keeps them: `resume` continues their sessions there). */
async function removeAgentWorktreesOf(ctx: RunContext): Promise<void> {
  if (!ctx.events.some((e) => e.type === 'agent.session')) return;
  await removeAgentWorktrees(ctx.home, ctx.config, ctx.runId).catch((error: unknown) =>
    ctx.warn(`Could not remove the agents' worktrees: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** Checkpoint refs beyond `checkpoints.keep` go at every run start (never this run's; never untrusted: that is git). */
async function pruneAtStart(ctx: RunContext): Promise<void> {
  if (!ctx.host.isTrusted()) return;
  try {
    // A run that will take its checkpoint makes room for it: `keep` refs once it has.
    const keep = ctx.config.checkpoints.keep - (ctx.state().checkpoint ? 0 : 1);
    const { pruned } = await pruneCheckpointRefs(ctx.workspace, Math.max(0, keep), [checkpointRef(ctx.runId)]);
    if (pruned.length > 0)
      ctx.emit({
        type: 'log',
        level: 'info',
        message: `Pruned ${pruned.length} checkpoint ref(s) beyond checkpoints.keep (${ctx.config.checkpoints.keep}): ${pruned.join(', ')}`,
      });
  } catch (error) {
    ctx.warn(`Could not prune old checkpoint refs: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * What the journal, reports and summaries never show, by value: every provider's key, the
 * password a base URL may carry (https://user:pw@proxy), the webhook's secret.
 */
function journalSecrets(prepared: PreparedRun, opts: RunOptions): string[] {
  const password = urlPassword(opts.baseURL ?? process.env.ANTHROPIC_BASE_URL);
  const webhookSecret = webhookTarget(prepared.project.config)?.secret;
  return [...prepared.models.secrets, ...(password ? [password] : []), ...(webhookSecret ? [webhookSecret] : [])];
}

async function markSpecStopped(ctx: RunContext): Promise<void> {
  const id = ctx.facts().specId;
  if (!id || !ctx.state().specApproved) return;
  try {
    const spec = await loadSpec(ctx.workspace, id);
    if (spec.location === 'active') await updateSpecStatus(ctx.workspace, id, 'stopped');
  } catch {
    // The report matters more than the spec's status line.
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
    (question, answer) => opts.host.onEvent({ type: 'confirmation', question, answer }),
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
