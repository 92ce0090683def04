// The runner picker's view (issue 27) and the runners' record (issue 47): split from viewState.ts, which re-exports them.
import * as z from 'zod/mini';
import { CLI_RUNNERS, LAYER_RUNNERS, RUNNER_NAMES } from '../core/text/runnerNames';

/** A CLI agent as the runner picker shows it (issue 27): installed, its version, signed in (names only). */
export const cliAgentViewSchema = z.object({
  runner: z.enum(CLI_RUNNERS),
  label: z.string(),
  installed: z.boolean(),
  version: z.optional(z.string()),
  tooOld: z.boolean(),
  signedIn: z.union([z.boolean(), z.literal('unknown')]),
  signedInBy: z.optional(z.string()),
  hint: z.optional(z.string()),
});
export type CliAgentView = z.infer<typeof cliAgentViewSchema>;

/**
 * One row of the runners' record (issue 47): how a runner and model did on a layer of this
 * repository. Rates 0..1; a rate is absent when nothing counted (no proof tests ran, no review).
 */
export const runnerRecordRowSchema = z.object({
  layer: z.string(),
  runner: z.string(),
  model: z.optional(z.string()),
  runs: z.number(),
  firstTryRate: z.number(),
  passRate: z.number(),
  meanRetries: z.number(),
  proofGreenRate: z.optional(z.number()),
  approvedRate: z.optional(z.number()),
  meanCostUsd: z.number(),
  meanDurationMs: z.number(),
});
export type RunnerRecordRow = z.infer<typeof runnerRecordRowSchema>;

/** Who does each layer's and role's work, and which CLI agents could (the sidebar's runner picker). */
export const runnersViewSchema = z.object({
  layers: z.array(z.object({ name: z.string(), runner: z.enum(LAYER_RUNNERS) })),
  roles: z.array(z.object({ name: z.string(), runner: z.enum(RUNNER_NAMES) })),
  clis: z.array(cliAgentViewSchema),
  /** The sandbox the CLI agents and the commands run in (issue 36): available, its kind, why not, what it enforces. */
  sandbox: z.optional(
    z.object({
      available: z.boolean(),
      kind: z.enum(['bubblewrap', 'seatbelt', 'none']),
      reason: z.optional(z.string()),
      enforces: z.array(z.string()),
    }),
  ),
  /** Why they could not be read (a broken config). */
  error: z.optional(z.string()),
  /** The runners' record of this repository (issue 47), what `runners stats` prints; absent until read. */
  record: z.optional(z.array(runnerRecordRowSchema)),
});
export type RunnersView = z.infer<typeof runnersViewSchema>;
