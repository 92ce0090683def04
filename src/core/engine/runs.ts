/** The contract's runs: starting, continuing and changing a run, its attempts, and reading runs and their journals. */
import { resolve } from 'node:path';
import type { RunInfo, RunOptions, RunSummary } from '../api';
import {
  type ChangeOutcome,
  type FollowUpInput,
  requestChange,
  followUpRun,
  useAttempt,
  type UseAttemptOutcome,
} from '../change';
import { approveChangeSet, type ChangeSetSummary, isChangeSetRoot, runChangeSet, runningSet } from '../changeSet';
import { EngineUsageError } from '../errors';
import {
  assertSafeRunId,
  findLatestResumableRun,
  hasJournal,
  type JournalEntry,
  listRuns,
  readEvents,
  runInfo,
} from '../journal';
import { type AttemptDiff, attemptDiff, attemptsOfRun, type LayerAttempts } from '../pipeline/attempts';
import { type AuditChoices, type AuditRequest, auditChoices } from '../pipeline/audit';
import {
  planRun,
  resumeRun,
  type RunPlan,
  type SavedChanges,
  startAudit,
  startRun,
  syncOutsideRun,
} from '../pipeline/run';
import { loadConfig } from '../project/config';
import { journalEntryLines, runEventLines } from '../sinks';
import { query, RUN, verb } from './entry';

/** Where the host answers a change or another attempt: now, or resumed with it when the run has stopped. */
type Queued = Pick<RunOptions, 'workspace'> & Partial<RunOptions>;
type EventFormat = 'cloudevents' | 'journal';

/**
 * A run's attempts, layer by layer (docs/attempts.md): each with its runner, figures, diff stat, and the one in the
 * run.
 */
async function runAttempts(workspace: string, runId: string): Promise<LayerAttempts[]> {
  const root = resolve(workspace);
  assertSafeRunId(runId);
  if (!hasJournal(root, runId))
    throw new EngineUsageError(`No run ${runId} in this workspace (see \`orchestrator runs\`).`);
  return attemptsOfRun(readEvents(root, runId));
}

export const runs = {
  runFeature: verb(RUN, async (request: string, opts: RunOptions): Promise<RunSummary> =>
    startRun(opts, { kind: 'feature', request }),
  ),
  /**
   * `feature` in a workspace of repositories (issue 73): each member's part of one spec written by its
   * own spec agent, joined, approved once, implemented producers first with their changed heads linked
   * in, then every member checked on the combined heads. Each member's runs journal as any run.
   */
  runChangeSet: verb(RUN, async (request: string, opts: RunOptions): Promise<ChangeSetSummary> =>
    runningSet(opts.workspace, undefined, () => runChangeSet(request, opts)),
  ),
  /** `approve <setId>`: a saved change-set's parts implemented, producers first. */
  approveChangeSet: verb(RUN, async (setId: string, opts: RunOptions): Promise<ChangeSetSummary> =>
    runningSet(opts.workspace, setId, () => approveChangeSet(setId, opts)),
  ),
  /** Whether `feature` here is a change-set's: the folder holds `.claude/workspace.yaml`. */
  isChangeSetRoot: query(async (workspace: string): Promise<boolean> => isChangeSetRoot(workspace)),
  runBugfix: verb(RUN, async (report: string, opts: RunOptions): Promise<RunSummary> =>
    startRun(opts, { kind: 'bugfix', request: report }),
  ),
  /**
   * A dry run (`feature --dry-run`, issue 71): what a feature or bugfix run would do here — layers,
   * gates, proof, waves, phases, each agent's runner and model, what would stop it — with no model
   * call and nothing written.
   */
  planRun: query(async (kind: RunPlan['kind'], request: string, opts: RunOptions): Promise<RunPlan> =>
    planRun(opts, kind, request),
  ),
  /** The audit-to-target loop of seed 001 on a folder or file of the workspace. */
  runAudit: verb(RUN, async (request: AuditRequest, opts: RunOptions): Promise<RunSummary> =>
    startAudit(request, opts),
  ),
  /** The dimensions an audit of this workspace can take and the config's defaults (editors ask with them). */
  auditChoices: query(async (workspace: string, templatesDir?: string): Promise<AuditChoices> => {
    const root = resolve(workspace);
    return auditChoices(root, await loadConfig(root), templatesDir);
  }),
  resumeRun: verb(RUN, async (runId: string | undefined, opts: RunOptions): Promise<RunSummary> =>
    resumeRun(runId, opts),
  ),
  /** The pool: a pooled run whose saved spec was approved elsewhere continues after SPEC on the worker that took it. */
  continueApprovedRun: verb(RUN, async (runId: string, specId: string, opts: RunOptions): Promise<RunSummary> =>
    resumeRun(runId, opts, specId),
  ),
  /** The pool: a pooled run whose saved spec was sent back; its spec agent writes it again and the gate asks again. */
  reviseSavedRun: verb(RUN, async (runId: string, changes: SavedChanges, opts: RunOptions): Promise<RunSummary> =>
    resumeRun(runId, opts, changes),
  ),
  /**
   * A follow-up of a completed worktree run (issue 39): a new run from the head of its branch with
   * the same approved spec, where only a layer sent back with a failure found outside (`fix`), or
   * the layers a change request's approved amendment touches (`change`), work again; its result,
   * kept with `branchRun(…, sameBranch)`, is a commit on top of that branch.
   */
  followUpRun: verb(
    ['followup.started', ...RUN],
    async (runId: string, input: FollowUpInput, opts: RunOptions): Promise<RunSummary> =>
      followUpRun(runId, input, opts),
  ),
  /**
   * A change request to a run's approved spec: a run going now picks it up between steps; a
   * stopped, cancelled or interrupted one is resumed with it. The amendment goes through the spec gate.
   */
  requestChange: verb(
    ['change.requested', 'change.approved', 'change.declined', ...RUN],
    async (runId: string, request: string, opts: Queued, options: { resume?: boolean } = {}): Promise<ChangeOutcome> =>
      requestChange(runId, request, opts, options),
  ),
  /**
   * Another of a layer's attempts instead of the one the run kept, before the run completes: a run
   * going now takes it between waves or before its review (and re-runs the layers after it); a
   * stopped one is resumed with it.
   */
  useAttempt: verb(
    ['attempt.picked', ...RUN],
    async (
      runId: string,
      layer: string,
      k: number,
      opts: Queued,
      options: { resume?: boolean } = {},
    ): Promise<UseAttemptOutcome> => useAttempt(runId, layer, k, opts, options),
  ),
  runAttempts: query(runAttempts),
  /**
   * What attempt `k` of `layer` changed: each file's unified diff against the attempts' base (shown beside its
   * figures).
   */
  attemptDiff: query(async (workspace: string, runId: string, layer: string, k: number): Promise<AttemptDiff> => {
    const root = resolve(workspace);
    return attemptDiff(root, runId, await runAttempts(root, runId), layer, k);
  }),
  /** The config's sync commands outside a run (they refresh the registry files); told to the host, not journaled. */
  syncRegistry: verb([], async (opts: RunOptions): Promise<void> => syncOutsideRun(opts)),
  listRuns: query(async (workspace: string): Promise<RunInfo[]> => listRuns(resolve(workspace))),
  /** One run as `listRuns` lists it, reading its journal alone; undefined without a journal. */
  runInfo: query(async (workspace: string, runId: string): Promise<RunInfo | undefined> =>
    runInfo(resolve(workspace), runId),
  ),
  /** The run a bare `resume` continues: the latest that did not complete (the CLI and Resume Run agree). */
  latestResumableRun: query(async (workspace: string): Promise<RunInfo | undefined> =>
    findLatestResumableRun(resolve(workspace)),
  ),
  /** A run's events as CloudEvents JSON lines in seed 003's vocabulary, or its raw journal lines. */
  runEvents: query(async (workspace: string, runId: string, format: EventFormat = 'cloudevents'): Promise<string[]> =>
    runEventLines(resolve(workspace), runId, format),
  ),
  /** `events` of a journal kept elsewhere (a pooled run's, read from the pool): the same lines as runEvents. */
  journalEvents: query(
    async (
      workspace: string,
      runId: string,
      entries: readonly JournalEntry[],
      format: EventFormat = 'cloudevents',
    ): Promise<string[]> => journalEntryLines(resolve(workspace), runId, entries, format),
  ),
};
