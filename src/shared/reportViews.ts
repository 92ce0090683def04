/**
 * The sidebar's views of what a run reports beside its progress: the audit loop, the
 * traceability matrix and drift. Apart from viewState.ts (which re-exports them) because they
 * depend on nothing else there. Free of VS Code and Node imports: the webview bundles it.
 */
import * as z from 'zod/mini';
import { PROOF_STATUSES } from '../core/text/proofWords';

// The proof's words (a portable leaf of the engine): the webview and the portal's page take them from here.
export {
  markedStatus,
  PROOF_MARKS,
  proofLine,
  type ProofStatus,
  strengthCell,
  strengthLine,
  strengthPercent,
  survivorLines,
} from '../core/text/proofWords';

// ---- The audit loop (seed 001, issue 9) --------------------------------------------------------

export const auditFindingSchema = z.object({
  id: z.string(),
  severity: z.enum(['P0', 'P1', 'P2', 'P3']),
  description: z.string(),
  file: z.optional(z.string()),
  line: z.optional(z.number()),
  recommendation: z.string(),
});
export type AuditFindingView = z.infer<typeof auditFindingSchema>;

/** A fix job of the loop (a layer taking findings), or findings left for a human. */
export const auditActionSchema = z.object({
  job: z.string(),
  iteration: z.number(),
  layer: z.string(),
  role: z.string(),
  state: z.enum(['running', 'done', 'blocked', 'skipped']),
  findings: z.array(z.string()),
  summary: z.optional(z.string()),
});
export type AuditActionView = z.infer<typeof auditActionSchema>;

export const auditTestSchema = z.object({
  command: z.string(),
  exitCode: z.nullable(z.number()),
  runner: z.optional(z.string()),
  passed: z.optional(z.number()),
  failed: z.optional(z.number()),
  skipped: z.optional(z.number()),
  coverage: z.optional(z.number()),
});
export type AuditTestView = z.infer<typeof auditTestSchema>;

export const auditViewSchema = z.object({
  target: z.string(),
  dimension: z.string(),
  targetScore: z.number(),
  minAcceptableScore: z.number(),
  maxIterations: z.number(),
  budgetUsd: z.number(),
  /** The iteration under way (0: the baseline audit). */
  iteration: z.number(),
  /** Baseline first, then one score per iteration. */
  scores: z.array(z.number()),
  /** The latest audit's findings: the open ones. */
  findings: z.array(auditFindingSchema),
  actions: z.array(auditActionSchema),
  confirmations: z.array(z.object({ question: z.string(), answer: z.boolean(), kind: z.optional(z.string()) })),
  tests: z.optional(z.array(auditTestSchema)),
  costByRole: z.record(z.string(), z.number()),
  /** Which role each agent works in now (for the cost by role). */
  agentRoles: z.record(z.string(), z.string()),
  reason: z.optional(z.string()),
  reportPath: z.optional(z.string()),
  /** The report's markdown, read by the host from reportPath. */
  report: z.optional(z.string()),
});
export type AuditView = z.infer<typeof auditViewSchema>;

/** An audit that has ended (its report is written) with its latest score below the target. */
export function auditMissedTarget(audit: AuditView): boolean {
  if (audit.reason === undefined) return false;
  const score = audit.scores.at(-1);
  return score === undefined || score < audit.targetScore;
}

// Traceability matrix and blocks (issue 10, seeds 000 and 003).
export const proofStatusSchema = z.enum(PROOF_STATUSES);

/** The mutants of the changed lines its tests ran against; each survivor's file and change are the code's words (text). */
export const proofStrengthSchema = z.object({
  tried: z.number(),
  killed: z.number(),
  survived: z.number(),
  survivors: z.array(z.object({ file: z.string(), line: z.number(), change: z.string() })),
  error: z.optional(z.string()),
});

/** A criterion's proof (docs/proof.md): the status, and its first test with its runs (red on the base, green after); names bounded. */
export const traceProofSchema = z.object({
  status: proofStatusSchema,
  file: z.optional(z.string()),
  test: z.optional(z.string()),
  red: z.optional(z.enum(['failed', 'passed', 'broken'])),
  green: z.enum(['passed', 'failed', 'not-run']),
  /** How many proof tests it has (more than `file`'s when the agent wrote several). */
  tests: z.number(),
  untestable: z.optional(z.string()),
  /** STRENGTH after GREEN (docs/proof.md "Strength"): at most MAX_SURVIVORS survivors, their file and change bounded. */
  strength: z.optional(proofStrengthSchema),
});
export type TraceProofView = z.infer<typeof traceProofSchema>;

export const traceRowSchema = z.object({
  requirement: z.string(),
  requirementTitle: z.string(),
  criterion: z.string(),
  criterionText: z.string(),
  tasks: z.array(z.string()),
  files: z.array(z.string()),
  validation: z.array(z.string()),
  review: z.string(),
  tests: z.array(z.string()),
  /** `no-task`, `no-file`, `no-test`, `unmet`, `validation-failed`. */
  gaps: z.array(z.string()),
  /** Amendments that changed the requirement (`v2 <UTC time>`), from change requests. */
  changes: z.optional(z.array(z.string())),
  /** Absent in a matrix journaled before proof per criterion (shown as unproven). */
  proof: z.optional(traceProofSchema),
});
export type TraceRowView = z.infer<typeof traceRowSchema>;

export const traceViewSchema = z.object({
  specId: z.string(),
  rows: z.array(traceRowSchema),
  requirementsWithoutFile: z.array(z.string()),
  criteriaWithoutTest: z.array(z.string()),
});
export type TraceView = z.infer<typeof traceViewSchema>;

// Drift (issue 23): a completed spec against today's code, shown under it after Verify.
export const driftStatusSchema = z.enum(['holds', 'changed', 'broken']);
export const driftViewSchema = z.object({
  specId: z.string(),
  /** Verify is running for this spec. */
  running: z.boolean(),
  /** It measures strength too (Verify with Strength). */
  measuring: z.optional(z.boolean()),
  status: z.optional(driftStatusSchema),
  basis: z.optional(z.string()),
  notes: z.array(z.string()),
  requirements: z.array(
    z.object({
      requirement: z.string(),
      title: z.string(),
      status: driftStatusSchema,
      evidence: z.array(z.string()),
      /** Its criteria's proof tests run again: proven or failing now (not-run: the reason is in the evidence). */
      proof: z.optional(
        z.array(
          z.object({
            criterion: z.string(),
            now: z.enum(['proven', 'flaky', 'failing', 'not-run']),
            then: proofStatusSchema,
            /** The commit its proof last passed at (completion.json's, issue 74). */
            lastProven: z.optional(z.object({ commit: z.string(), at: z.string() })),
          }),
        ),
      ),
    }),
  ),
  /** `verify --strength`: each criterion's score line and survivors, or why nothing was measured. */
  strength: z.optional(
    z.object({
      error: z.optional(z.string()),
      criteria: z.array(z.object({ criterion: z.string(), line: z.string(), survivors: z.array(z.string()) })),
    }),
  ),
  error: z.optional(z.string()),
});
export type DriftView = z.infer<typeof driftViewSchema>;
