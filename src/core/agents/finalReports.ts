import * as z from 'zod/mini';
import type { FinalToolName } from './types';

/** Schemas of the final tools: an agent's answer, validated before the loop accepts it. */

/** Trimmed text, not empty. */
const filled = z.string().check(z.trim(), z.minLength(1));
const nonEmpty = z.string().check(z.minLength(1));
const lineNumber = z.number().check(z.int(), z.minimum(1));

export const specReport = z.object({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  slug: z
    .string()
    .check(
      z.maxLength(60),
      z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens, e.g. "add-user-avatar"'),
    ),
  markdown: filled.check(z.describe('The spec body in markdown (without front matter).')),
});

export const layerResult = z.object({
  status: z.enum(['done', 'blocked']),
  summary: filled.check(z.describe('What was changed, or why the work is blocked.')),
  needs: z
    .optional(
      z.object({
        layer: filled.check(z.describe('The layer that owns the missing work, e.g. "backend".')),
        request: filled.check(
          z.describe('Exactly what you need from it, e.g. "GET /api/products returning [{id, name, price}]".'),
        ),
      }),
    )
    .check(
      z.describe(
        'With status "blocked": the work another layer must do first; that layer is asked to do it and you then continue.',
      ),
    ),
});

export const reviewIssue = z.object({
  file: nonEmpty,
  line: z.optional(lineNumber),
  severity: z.enum(['critical', 'major', 'minor']),
  problem: nonEmpty,
  fix: nonEmpty,
});

/** The verdict on one acceptance criterion of the spec (seed 000); `unmet` counts as a rejection. */
export const criterionVerdict = z.object({
  id: filled.check(z.describe('The criterion id from the spec, e.g. "REQ-1.2".')),
  verdict: z.enum(['met', 'unmet']),
  file: z
    .optional(nonEmpty)
    .check(z.describe('Unmet: the workspace-relative file where it must be fixed (it decides which layer fixes it).')),
  line: z.optional(lineNumber),
  problem: z.optional(nonEmpty).check(z.describe('Unmet: what is missing or wrong.')),
  fix: z.optional(nonEmpty).check(z.describe('Unmet: the concrete change that meets it.')),
});

/** A surviving mutant the review judges equivalent: it changes nothing observable, so no test can kill it (issue 61). */
export const equivalentMutant = z.object({
  mutant: filled.check(z.describe("The surviving mutant's id, as the PROOF STRENGTH section lists it.")),
  why: filled.check(z.describe('Why no behaviour differs (e.g. "the loop never reaches i == n").')),
});

export const reviewReport = z
  .object({
    verdict: z.enum(['approved', 'rejected']),
    issues: z.array(reviewIssue),
    criteria: z
      .optional(z.array(criterionVerdict))
      .check(z.describe('One verdict per acceptance criterion of the spec, when it has criteria.')),
    equivalent: z
      .optional(z.array(equivalentMutant))
      .check(
        z.describe(
          'Surviving mutants (PROOF STRENGTH) that change nothing observable: no longer counted in the strength score.',
        ),
      ),
  })
  .check(
    z.refine(
      (r) => r.verdict === 'approved' || r.issues.length > 0 || (r.criteria ?? []).some((c) => c.verdict === 'unmet'),
      {
        path: ['issues'],
        message: 'a rejected verdict needs at least one issue or unmet criterion',
      },
    ),
  );

export const diagnosis = z.object({
  root_cause: filled,
  proposed_fix: filled,
  files: z.array(nonEmpty).check(z.describe('Workspace-relative paths of the files the fix touches.')),
});

/** One finding of an audit (seed 001): severity P0 (critical) … P3 (low), where, and what to do. */
export const auditFinding = z.object({
  id: z
    .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))
    .check(z.describe('A stable id for the finding across re-audits, e.g. "SEC-3".')),
  severity: z.enum(['P0', 'P1', 'P2', 'P3']).check(z.describe('P0 critical, P1 high, P2 medium, P3 low.')),
  description: filled.check(z.describe('What is wrong and why it matters.')),
  file: z.optional(nonEmpty).check(z.describe('Workspace-relative file inside the audit target.')),
  line: z.optional(lineNumber).check(z.describe('1-based line in that file.')),
  recommendation: filled.check(z.describe('A concrete change that closes the finding.')),
});

export const auditReport = z.object({
  score: z
    .number()
    .check(z.minimum(0), z.maximum(100), z.describe("The target's score along the audited dimension, 0–100.")),
  findings: z.array(auditFinding).check(z.describe('Every open finding; an empty list only for a score of 100.')),
});

/** One proof test the proof agent wrote, or why a criterion cannot be tested (docs/proof.md). */
export const proofTest = z.object({
  criterion: filled.check(z.describe('The criterion id from the spec, e.g. "REQ-2.1".')),
  file: z.optional(nonEmpty).check(z.describe("The workspace-relative test file, inside the proof tests' folders.")),
  name: z
    .optional(nonEmpty)
    .check(
      z.describe(
        'The test\'s name as the test runner prints it; it contains the criterion id (e.g. "REQ-2.1 rejects an expired coupon").',
      ),
    ),
  untestable: z
    .optional(filled)
    .check(
      z.describe('Instead of file and name: why no automated test can check this criterion (a look, a document).'),
    ),
});

export const proofReport = z.object({
  tests: z
    .array(proofTest)
    .check(z.minLength(1), z.describe('One entry per test, at least one per criterion (or its `untestable` reason).')),
});

export type SpecReport = z.infer<typeof specReport>;
export type LayerResult = z.infer<typeof layerResult>;
export type ReviewReport = z.infer<typeof reviewReport>;
export type CriterionVerdict = z.infer<typeof criterionVerdict>;
export type EquivalentMutant = z.infer<typeof equivalentMutant>;
export type Diagnosis = z.infer<typeof diagnosis>;
export type AuditFinding = z.infer<typeof auditFinding>;
export type AuditReport = z.infer<typeof auditReport>;
export type ProofTest = z.infer<typeof proofTest>;
export type ProofReport = z.infer<typeof proofReport>;

/** The validated final input each final tool yields (AgentResult.final). */
export interface FinalReports {
  submit_spec: SpecReport;
  submit_result: LayerResult;
  submit_review: ReviewReport;
  submit_diagnosis: Diagnosis;
  submit_audit: AuditReport;
  submit_proof: ProofReport;
}

export const finalToolSchemas: { [K in FinalToolName]: z.ZodMiniType<FinalReports[K]> } = {
  submit_spec: specReport,
  submit_result: layerResult,
  submit_review: reviewReport,
  submit_diagnosis: diagnosis,
  submit_audit: auditReport,
  submit_proof: proofReport,
};

export const finalToolDescriptions: Record<FinalToolName, string> = {
  submit_spec: 'Submit the finished spec. Ends your work; call it once, when the spec is complete.',
  submit_result:
    'Report the outcome of your layer: "done" when the tasks are implemented, "blocked" when they cannot be. Blocked on work another layer owns (an endpoint, a column…)? Give `needs` {layer, request}: the orchestrator has that layer do it and you continue here with its answer. Ends your work (until then).',
  submit_review:
    'Submit the review verdict. "rejected" needs at least one issue with the file, severity, the problem and the fix. When the spec has acceptance criteria (ids such as REQ-1.2), give a verdict for each in `criteria`; an unmet criterion is a rejection and needs its file, problem and fix. Ends your work.',
  submit_diagnosis: 'Submit the root cause of the bug, the proposed fix and the files it touches. Ends your work.',
  submit_audit:
    'Submit the audit: the score (0–100) and every open finding with its severity (P0–P3), description, file and line inside the audit target, and recommendation. Findings citing a file outside the target or a line past its end are refused. Ends your work.',
  submit_proof:
    'Submit the proof tests: for each acceptance criterion, the file and the test name (which contains the criterion id), or `untestable` with the reason no automated test can check it. The orchestrator then runs them on the unchanged code: each must fail there. Ends your work (until a test comes back).',
};
