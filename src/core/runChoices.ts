/**
 * A run's choices as data (issue 72): what a user chooses for one run, JSON-able, declared once as
 * a zod schema. Every host's spelling maps onto it — the CLI's flags (src/cli/runChoices.ts), VS
 * Code's settings (src/extension/run/runOptions.ts), the pool's job row (src/pool/jobChoices.ts),
 * an Action job's place (src/github/action/jobPlace.ts) — and `RunOptions` (api.ts) is these
 * choices plus the live wiring the host passes (its `Host`, signal, providers, budgets).
 */
import * as z from 'zod/mini';
import { OVERRIDABLE_LIMITS } from './text/overridableLimits';
import { LAYER_RUNNERS } from './text/runnerNames';

/** Host settings that win over .claude/orchestrator.yaml (the editor's models and limits, `--max-budget`). */
export const configOverridesSchema = z.object({
  models: z.optional(
    z.object({ default: z.optional(z.string()), agents: z.optional(z.record(z.string(), z.string())) }),
  ),
  limits: z.optional(z.partialRecord(z.enum(OVERRIDABLE_LIMITS), z.number())),
});
export type ConfigOverrides = z.infer<typeof configOverridesSchema>;

export const runChoicesSchema = z.object({
  /** The run's spec approved (`--approve`, `approve <specId>`): the spec's gate is not asked (questions.ts). */
  autoApprove: z.optional(z.boolean()),
  /** Every gate approved, the workflow phases' too (`--approve`). */
  approveGates: z.optional(z.boolean()),
  /** Yes to every confirmation, placements included (`--yes`). */
  assumeYes: z.optional(z.boolean()),
  /** The approval that starts the run was given where the model's placement was shown (the portal, a pooled run's dispatch). */
  placementShown: z.optional(z.boolean()),
  /** The workflow a feature or bugfix runs (`--workflow`, the New Feature picker); default `feature`. */
  workflow: z.optional(z.string()),
  /** Where the run works (`--worktree`, the editor's setting); default the config's `isolation`. */
  isolation: z.optional(z.enum(['in-place', 'worktree'])),
  /**
   * A worktree run starts from this commit (or a revision naming one, `HEAD`, resolved as it
   * starts) instead of a snapshot of the checkout (a run from a GitHub issue: the committed code).
   */
  baseCommit: z.optional(z.string()),
  /** A new run's id when the host chose it (a pooled run keeps the pool's id on every worker). */
  runId: z.optional(z.string()),
  /** `--runner NAME`: every layer on this runner (journaled, so `resume` keeps it); `auto`: each layer on its best record's. */
  runner: z.optional(z.enum(LAYER_RUNNERS)),
  /** `--attempts N`: every layer tried N times, one kept (docs/attempts.md; journaled). */
  attempts: z.optional(z.number()),
  /** `--allow-untested`: a workflow gate's `trace` check records a requirement with no test as waived (journaled on `run.started`). */
  allowUntested: z.optional(z.boolean()),
  /** `--allow-unchecked` (issue 70): a run whose changed files no test and no validate command checked completes, naming them. */
  allowUnchecked: z.optional(z.boolean()),
  /**
   * A change request's amendment saved at its gate (the host answered `save`) waits there, as a
   * saved spec does: the run ends `spec-saved` and an approval resumes it with that amendment
   * (a pooled run: the gate holds no worker). Otherwise `save` declines the amendment.
   */
  amendmentsWait: z.optional(z.boolean()),
  overrides: z.optional(configOverridesSchema),
});
export type RunChoices = z.infer<typeof runChoicesSchema>;
