/**
 * The sidebar's view of the pool of workers (issue 28): every pooled run live — status, phase,
 * wave, cost and the worker running it — and the team's spend today, as viewState.ts carries them
 * to the webview; and what the webview may ask of it (Approve a pooled spec at the gate, Apply a
 * completed run's result branch, Stop a run still going), zod-checked like every message. zod/mini, free of VS
 * Code and Node imports (the webview bundles it).
 */
import * as z from 'zod/mini';
import { githubLinkSchema } from './githubLinks';
import { POOL_STATUSES } from './poolBoard';
import { isCliRunner, LAYER_RUNNERS } from '../core/text/runnerNames';

const runId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/));

export const poolRunViewSchema = z.object({
  runId: z.string(),
  specId: z.nullable(z.string()),
  status: z.enum(POOL_STATUSES),
  phase: z.nullable(z.string()),
  wave: z.nullable(z.string()),
  worker: z.nullable(z.string()),
  costUsd: z.number(),
  reason: z.optional(z.string()),
  kind: z.string(),
  request: z.string(),
  /** `orchestrator/<spec-slug>` on the team's remote, once completed. */
  resultBranch: z.optional(z.string()),
  updatedAt: z.string(),
  attempts: z.number(),
  /** The workflow it follows when not its kind's own (`--workflow`). */
  workflow: z.optional(z.string()),
  /** `--allow-untested` travels with it (issue 29): a `trace` gate waives requirements with no test. */
  allowUntested: z.optional(z.literal(true)),
  /** `--runner` travels with it (issue 27): a CLI agent's waits for a worker that has that CLI. */
  runner: z.optional(z.enum(LAYER_RUNNERS)),
  /** A run from a GitHub issue (issue 39): its issue, spec comment, branch and pull request, from its journal in the pool. */
  github: z.optional(z.array(githubLinkSchema)),
});
export type PoolRunView = z.infer<typeof poolRunViewSchema>;

export const poolViewSchema = z.object({
  runs: z.array(poolRunViewSchema),
  /** The UTC day of the spend (YYYY-MM-DD). */
  day: z.optional(z.string()),
  spentTodayUsd: z.optional(z.number()),
  requestsToday: z.optional(z.number()),
  budgetUsdPerDay: z.optional(z.nullable(z.number())),
  /** Why the pool could not be read (PostgreSQL unreachable): the last runs read stay shown. */
  error: z.optional(z.string()),
  /** The run whose result is being applied (its Apply is disabled meanwhile). */
  applying: z.optional(z.string()),
});
export type PoolView = z.infer<typeof poolViewSchema>;

/** webview → host: a pooled spec at the gate approved (queued again for any free worker), a completed run's result applied here. */
export const poolApproveSchema = z.object({
  type: z.literal('poolApprove'),
  specId: z.string().check(z.minLength(1), z.maxLength(300)),
});
export const poolApplySchema = z.object({ type: z.literal('poolApply'), runId });
/** webview → host: a pooled run still going stopped (queued, at the gate or running: its worker stops its agents). */
export const poolStopSchema = z.object({ type: z.literal('poolStop'), runId });
/** webview → host: a pooled run's journal shown in the run panel, as its workers mirrored it (read-only). */
export const poolShowSchema = z.object({ type: z.literal('poolShow'), runId });

/** The pool's boards (issue 28): a queued run on a CLI agent waits for a worker that found that CLI (its `runner:<name>` label): what the boards say of it. */
export function waitingFor(run: { status: string; runner?: string | undefined }): string | undefined {
  return run.status === 'queued' && run.runner && isCliRunner(run.runner)
    ? `waiting for a worker with ${run.runner}`
    : undefined;
}
