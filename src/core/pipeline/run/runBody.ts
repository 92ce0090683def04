// A run's life once its journal is open (its context, its start, its pipeline, its one ending), split from runner.ts.
import { removeAgentWorktrees, runRunnerOf } from '../../runners';
import type { RunOptions, RunStatus, RunSummary } from '../../api';
import { checkpointRef, pruneCheckpointRefs } from '../../git';
import type { EngineEvent, RunKind } from '../../events';
import { Journal, rebuildState, type RunLock, type StateEvent } from '../../journal';
import { Budget } from '../../llm';
import { redactDeep, urlPassword } from '../../text/secrets';
import { loadSpec, reopenCompleted, updateSpecStatus } from '../../project/specs';
import { auditPipeline, auditSummaryOf } from '../audit';
import type { AuditSettings } from '../../auditTypes';
import { bugfixPipeline } from '../bugfix';
import { AmendmentSaved, RunCancelled, RunStop } from '../../errors';
import { CommandFiles, createRunContext, type RunContext, tidyOwnFiles } from '../kernel';
import type { Workflow } from '../../project/workflows';
import { journaledWorkflow, runWorkflow } from '../workflow';
import type { ProposalUsage, TasksAssigned } from '../phases';
import type { PreparedRun } from './runSetup';
import { buildSummary } from './summary';
import { keepRunnerRecord } from './runRecord';
import { openWorktree, type WorktreePlace } from './worktreeRun';
import { runAttemptsOf } from '../attempts';
import { sharedLimiter } from './runSlots';
import { RunSink, webhookTarget } from '../../sinks';
import { removeCommandPrivateDir } from '../../process';

export interface RunStart {
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

export async function execute(
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
    ...(opts.allowUnchecked ? { allowUnchecked: true as const } : {}),
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
    // What the run left of ours in the work tree (spec, trace, registry), as the project's Prettier writes it.
    await tidyOwnFiles(ctx).catch(() => undefined);
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
        ...(error.unchecked ? { unchecked: error.unchecked } : {}),
      });
      await markSpecStopped(ctx);
      await tidyOwnFiles(ctx).catch(() => undefined);
      return summary(error.reason === 'unchecked' ? 'unchecked' : 'stopped', {
        error: error.message,
        report: error.report,
      });
    }
    if (error instanceof AmendmentSaved) {
      const saved = summary('spec-saved');
      ctx.emit({ type: 'run.completed', runId, summary: saved });
      return saved;
    }
    if (error instanceof RunCancelled || ctx.signal?.aborted) {
      // Set aside (a question parked: its answer is given elsewhere): aborted with why.
      const aside = typeof ctx.signal?.reason === 'string' ? ctx.signal.reason : undefined;
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
export function journalSecrets(prepared: PreparedRun, opts: RunOptions): string[] {
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
