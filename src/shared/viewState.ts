/**
 * The sidebar's view model: everything the webview renders, computed on the host by a pure
 * reducer from engine events. Described with zod because it crosses the webview boundary and
 * is also restored from the webview's persisted state, which may come from an older version.
 *
 * This file must stay free of VS Code and Node imports: the webview bundles it.
 *
 * zod/mini, not classic zod: both the extension host (dist/extension.js, loaded on activation)
 * and the webview bundle these schemas, and mini's functional API is tree-shakable (only the
 * schema kinds used here are bundled, no locales): tens of kB instead of ~450 kB per bundle.
 */
import * as z from 'zod/mini';
import { githubLinkSchema } from './githubLinks';
import { initProposalSchema } from './initProposal';
import { poolViewSchema } from './poolView';
import { queueViewSchema } from './queueView';
import { auditViewSchema, driftViewSchema, traceViewSchema } from './reportViews';
import { runnersViewSchema } from './runnersView';
import { selectedSpecSchema, specItemSchema } from './specItems';
import { workflowRunViewSchema } from './workflowView';
import { attemptDiffSchema, layerAttemptsSchema } from './attemptsView';
import { changeSetViewSchema } from './changeSetView';

export { githubLinkSchema, type GithubLinkView } from './githubLinks';

export * from './attemptsView';
export * from './changeSetView';
export * from './initProposal';
export * from './poolView';
export * from './queueView';
export * from './reportViews';
export * from './runnersView';
export * from './specItems';
export * from './workflowView';

export const usageSchema = z.object({
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
});
export type UsageView = z.infer<typeof usageSchema>;

/** `stopped`: it was at work when its run ended without finishing it (the window closed, a cancel): Resume continues it. */
export const layerStateSchema = z.enum([
  'waiting',
  'running',
  'validating',
  'retry',
  'passed',
  'failed',
  'cancelled',
  'stopped',
]);
export type LayerState = z.infer<typeof layerStateSchema>;

/** One agent of the run: a layer of a wave, or a phase agent (spec, review, diagnose). */
export const agentViewSchema = z.object({
  name: z.string(),
  /** 1-based wave the layer runs in; absent for phase agents. */
  wave: z.optional(z.number()),
  state: layerStateSchema,
  attempt: z.number(),
  mode: z.optional(z.string()),
  retry: z.optional(z.object({ n: z.number(), max: z.number() })),
  command: z.optional(z.string()),
  lastError: z.optional(z.string()),
  /** What the sandbox refused this layer's agent or commands (issue 36): `write /path`, `net host:port`; the last 5. */
  denied: z.optional(z.array(z.string())),
  outcome: z.optional(z.string()),
  summary: z.optional(z.string()),
  tokens: z.number(),
  costUsd: z.number(),
  /** Model calls, those without a price among them, and the provider of the latest (absent before the first call). */
  requests: z.optional(z.number()),
  unpricedRequests: z.optional(z.number()),
  provider: z.optional(z.string()),
});
export type AgentView = z.infer<typeof agentViewSchema>;

export const waveViewSchema = z.object({ index: z.number(), of: z.number(), layers: z.array(z.string()) });
export type WaveView = z.infer<typeof waveViewSchema>;

export const phaseViewSchema = z.object({
  name: z.string(),
  state: z.enum(['running', 'done']),
  ms: z.optional(z.number()),
});
export type PhaseView = z.infer<typeof phaseViewSchema>;

export const reviewIssueSchema = z.object({
  file: z.string(),
  line: z.optional(z.number()),
  severity: z.enum(['critical', 'major', 'minor']),
  problem: z.string(),
  fix: z.string(),
});
export type ReviewIssueView = z.infer<typeof reviewIssueSchema>;

export const reviewViewSchema = z.object({
  round: z.number(),
  verdict: z.enum(['approved', 'rejected', 'skipped']),
  reason: z.optional(z.string()),
  issues: z.array(reviewIssueSchema),
});
export type ReviewView = z.infer<typeof reviewViewSchema>;

export const activityLineSchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  text: z.string(),
});
export type ActivityLine = z.infer<typeof activityLineSchema>;

// Models (issue 12; issue 8 point 9): an agent waiting out API weather.
export const apiWaitSchema = z.object({
  agent: z.string(),
  /** overloaded | rate-limit | server | network */
  kind: z.string(),
  /** e.g. "overloaded (529)". */
  reason: z.string(),
  attempt: z.number(),
  retryInMs: z.number(),
  /** Epoch ms of the event (the journal's ts), so hosts with a clock can count down. */
  at: z.optional(z.number()),
  windowLeftMs: z.number(),
});
export type ApiWaitView = z.infer<typeof apiWaitSchema>;

export const spendSchema = z.object({ costUsd: z.number(), requests: z.number(), unpricedRequests: z.number() });
export type SpendView = z.infer<typeof spendSchema>;

/** The cap a run reached: dollars (limits.maxBudgetUsd) or requests without a price (limits.maxRequests). */
export const budgetSchema = z.object({
  spentUsd: z.number(),
  limitUsd: z.number(),
  unpricedRequests: z.optional(z.number()),
  maxRequests: z.optional(z.number()),
});
export type BudgetView = z.infer<typeof budgetSchema>;

export function budgetLabel(b: BudgetView): string {
  if (b.maxRequests !== undefined && (b.unpricedRequests ?? 0) >= b.maxRequests)
    return `Request cap reached: ${b.unpricedRequests} of ${b.maxRequests} requests without a price (limits.maxRequests)`;
  return `Budget reached: $${b.spentUsd.toFixed(2)} of $${b.limitUsd.toFixed(2)}`;
}

/** "$0.12", "9 req" where no price is known, or "$0.12 + 9 req": how spend is written everywhere. */
export function spendLabel(spend: {
  costUsd: number;
  unpricedRequests?: number | undefined;
  requests?: number | undefined;
}): string {
  const unpriced = spend.unpricedRequests ?? 0;
  const priced = (spend.requests ?? 0) - unpriced;
  const usd = `$${spend.costUsd.toFixed(2)}`;
  if (unpriced === 0) return usd;
  return priced > 0 || spend.costUsd > 0 ? `${usd} + ${unpriced} req` : `${unpriced} req`;
}

/** "8 s", "3 min": how waits are written everywhere (sidebar, status bar). */
export const inSeconds = (ms: number): string =>
  ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(0, Math.round(ms / 1000))} s`;

export const runStatusSchema = z.enum([
  'running',
  'awaiting-approval',
  'completed',
  'spec-saved',
  'stopped',
  'cancelled',
  'failed',
  'interrupted',
  'rolled-back',
  // Issue 70: ended before COMPLETE, part of its change checked by nothing (`unchecked` below names it).
  'unchecked',
]);
export type RunViewStatus = z.infer<typeof runStatusSchema>;

/** A layer blocked on another layer's work; drawn as an arrow while open. */
export const blockViewSchema = z.object({
  block: z.number(),
  from: z.string(),
  to: z.string(),
  request: z.string(),
  status: z.enum(['open', 'resolved']),
});
export type BlockView = z.infer<typeof blockViewSchema>;

/** A worktree run's worktree: waiting for Apply, Create branch or Discard (`pending`), or what was done. */
export const worktreeViewSchema = z.object({
  path: z.string(),
  /** The run's folder in it when not the worktree's root (a workspace in a monorepo): what its files are relative to. */
  workspace: z.optional(z.string()),
  outcome: z.enum(['pending', 'applied', 'branched', 'discarded']),
  branch: z.optional(z.string()),
});
export type WorktreeView = z.infer<typeof worktreeViewSchema>;

export const runViewSchema = z.object({
  runId: z.optional(z.string()),
  kind: z.enum(['feature', 'bugfix', 'audit', 'approve', 'resume', 'sync']),
  request: z.string(),
  status: runStatusSchema,
  /** True while this run is live in this window (false for a run restored from its journal). */
  live: z.boolean(),
  /** Another live process runs it (its lock's holder: `serve` running it from a GitHub issue, a CLI run): followed from its journal, never resumed here. */
  elsewhere: z.optional(z.literal(true)),
  /** A run of the pool of workers, shown from its journal as they mirrored it (the Pool section's Journal): read-only here. */
  pooled: z.optional(z.literal(true)),
  /** The run's config says `sandbox: off`: nothing of it is confined (issue 36). */
  sandboxOff: z.optional(z.literal(true)),
  phase: z.optional(z.string()),
  phases: z.array(phaseViewSchema),
  waves: z.array(waveViewSchema),
  agents: z.array(agentViewSchema),
  usage: usageSchema,
  costUsd: z.number(),
  budget: z.optional(budgetSchema),
  specId: z.optional(z.string()),
  specPath: z.optional(z.string()),
  checkpoint: z.optional(z.string()),
  /** The deploy step after COMPLETE: the deploy commands passed, then the smoke tests' verdict. */
  deploy: z.optional(
    z.object({
      deployed: z.boolean(),
      smoke: z.optional(z.enum(['passed', 'failed'])),
      detail: z.optional(z.string()),
    }),
  ),
  review: z.optional(reviewViewSchema),
  stop: z.optional(z.object({ reason: z.string(), report: z.string() })),
  /** Issue 70: the layers and files no proof test and no validate command checked; `accepted`: the run went on (--allow-unchecked). */
  unchecked: z.optional(
    z.object({
      layers: z.array(
        z.object({
          layer: z.string(),
          files: z.array(z.string()),
          unproven: z.optional(z.array(z.string())),
          styleOnly: z.optional(z.array(z.string())),
        }),
      ),
      accepted: z.boolean(),
    }),
  ),
  error: z.optional(z.string()),
  filesChanged: z.array(z.string()),
  activity: z.array(activityLineSchema),
  audit: z.optional(auditViewSchema),
  trace: z.optional(traceViewSchema),
  blocks: z.optional(z.array(blockViewSchema)),
  /** A confirmation waiting for the human now (a modal question): the run is not running meanwhile. */
  asking: z.optional(z.object({ agent: z.string(), question: z.string() })),
  /** Agents waiting out API weather right now (absent: none). */
  apiWaits: z.optional(z.array(apiWaitSchema)),
  /** Cost and calls per provider (absent before the first call). */
  byProvider: z.optional(z.record(z.string(), spendSchema)),
  /** A run in its own worktree shown side by side with others (issue 22): its key in this window. */
  lane: z.optional(z.string()),
  /** Its worktree, once known, and what became of it. */
  worktree: z.optional(worktreeViewSchema),
  /** The workflow it follows (issue 29), each phase a step; absent for a bugfix's or an audit's own pipeline. */
  workflow: z.optional(workflowRunViewSchema),
  /** A run started from a GitHub issue (issue 39): links to what it made there, in order issue, spec, branch, pull request. */
  github: z.optional(z.array(githubLinkSchema)),
  /** Its layers tried in attempts (issue 47), each attempt's figures and the one in the run. */
  attempts: z.optional(z.array(layerAttemptsSchema)),
  /** The attempts' diffs the user opened in the sidebar. */
  attemptDiffs: z.optional(z.array(attemptDiffSchema)),
});
export type RunView = z.infer<typeof runViewSchema>;

export const runItemSchema = z.object({
  runId: z.string(),
  /** Absent for a run whose journal cannot be read (status `unreadable`, `problem` says why). */
  kind: z.optional(z.enum(['feature', 'bugfix', 'audit'])),
  request: z.string(),
  status: z.string(),
  started: z.string(),
  problem: z.optional(z.string()),
  worktree: z.optional(worktreeViewSchema),
});
export type RunItem = z.infer<typeof runItemSchema>;

export const viewStateSchema = z.object({
  /** Bumped on every change so the webview can skip stale or duplicate states. */
  version: z.number(),
  hasWorkspace: z.boolean(),
  workspaceName: z.optional(z.string()),
  trusted: z.boolean(),
  /** A run (or sync) is in progress in this window. */
  busy: z.boolean(),
  specs: z.array(specItemSchema),
  runs: z.array(runItemSchema),
  selectedSpec: z.optional(selectedSpecSchema),
  /** The engine is waiting for the human's decision on this spec. */
  pendingDecision: z.optional(selectedSpecSchema),
  run: z.optional(runViewSchema),
  /** Runs in worktrees started in this window, side by side (issue 22); `run` stays the in-place one. */
  lanes: z.optional(z.array(runViewSchema)),
  /** The selected spec's traceability matrix, from its runs' journals. */
  selectedTrace: z.optional(traceViewSchema),
  /** The selected completed spec's drift, after Verify. */
  selectedDrift: z.optional(driftViewSchema),
  /** The workspace's task queue, while the sidebar has read it. */
  queue: z.optional(queueViewSchema),
  /** The pool of workers on the queue's PostgreSQL (issue 28), while the sidebar follows it. */
  pool: z.optional(poolViewSchema),
  /** Initialize Workspace: the census's proposal, shown until accepted or dismissed. */
  init: z.optional(initProposalSchema),
  /** Each layer's runner and the CLI agents on this machine (issue 27). */
  runners: z.optional(runnersViewSchema),
  /** The change-sets of the folder's workspace of repositories (issue 73), the latest first: one status per member. */
  changeSets: z.optional(z.array(changeSetViewSchema)),
});
export type ViewState = z.infer<typeof viewStateSchema>;

/** A spec still waiting for approval (not completed or in progress); shared so both sides agree. */
export const isSavedSpec = (status: string): boolean => !/complete|done|progress|implement/i.test(status);

/** The engine resumes interrupted, stopped and cancelled runs (not completed or spec-saved ones). */
export const isResumable = (status: string): boolean =>
  status === 'interrupted' || status === 'stopped' || status === 'cancelled' || status === 'unchecked';

export const emptyViewState = (): ViewState => ({
  version: 0,
  hasWorkspace: false,
  trusted: true,
  busy: false,
  specs: [],
  runs: [],
});

/** A run's cost, plus its calls that have no price ("$0.12 + 9 req"). */
export function runSpendLabel(run: Pick<RunView, 'costUsd' | 'byProvider'>): string {
  const providers = Object.values(run.byProvider ?? {});
  const requests = providers.reduce((n, p) => n + p.requests, 0);
  const unpricedRequests = providers.reduce((n, p) => n + p.unpricedRequests, 0);
  return spendLabel({ costUsd: run.costUsd, requests, unpricedRequests });
}
