import { z } from 'zod';
import type { FinalToolName } from './types';

/** Schemas of the final tools: an agent's answer, validated before the loop accepts it. */

export const specReport = z.object({
  title: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .max(60)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens, e.g. "add-user-avatar"'),
  markdown: z.string().trim().min(1).describe('The spec body in markdown (without front matter).'),
});

export const layerResult = z.object({
  status: z.enum(['done', 'blocked']),
  summary: z.string().trim().min(1).describe('What was changed, or why the work is blocked.'),
  needs: z
    .object({
      layer: z.string().trim().min(1).describe('The layer that owns the missing work, e.g. "backend".'),
      request: z.string().trim().min(1).describe('Exactly what you need from it, e.g. "GET /api/products returning [{id, name, price}]".'),
    })
    .optional()
    .describe('With status "blocked": the work another layer must do first; that layer is asked to do it and you then continue.'),
});

export const reviewIssue = z.object({
  file: z.string().min(1),
  line: z.number().int().min(1).optional(),
  severity: z.enum(['critical', 'major', 'minor']),
  problem: z.string().min(1),
  fix: z.string().min(1),
});

/** The verdict on one acceptance criterion of the spec (seed 000); `unmet` counts as a rejection. */
export const criterionVerdict = z.object({
  id: z.string().trim().min(1).describe('The criterion id from the spec, e.g. "REQ-1.2".'),
  verdict: z.enum(['met', 'unmet']),
  file: z.string().min(1).optional().describe('Unmet: the workspace-relative file where it must be fixed (it decides which layer fixes it).'),
  line: z.number().int().min(1).optional(),
  problem: z.string().min(1).optional().describe('Unmet: what is missing or wrong.'),
  fix: z.string().min(1).optional().describe('Unmet: the concrete change that meets it.'),
});

export const reviewReport = z
  .object({
    verdict: z.enum(['approved', 'rejected']),
    issues: z.array(reviewIssue),
    criteria: z.array(criterionVerdict).optional().describe('One verdict per acceptance criterion of the spec, when it has criteria.'),
  })
  .refine((r) => r.verdict === 'approved' || r.issues.length > 0 || (r.criteria ?? []).some((c) => c.verdict === 'unmet'), {
    path: ['issues'],
    message: 'a rejected verdict needs at least one issue or unmet criterion',
  });

export const diagnosis = z.object({
  root_cause: z.string().trim().min(1),
  proposed_fix: z.string().trim().min(1),
  files: z.array(z.string().min(1)).describe('Workspace-relative paths of the files the fix touches.'),
});

/** One finding of an audit (seed 001): severity P0 (critical) … P3 (low), where, and what to do. */
export const auditFinding = z.object({
  id: z.string().trim().min(1).max(40).optional().describe('A stable id for the finding across re-audits, e.g. "SEC-3".'),
  severity: z.enum(['P0', 'P1', 'P2', 'P3']).describe('P0 critical, P1 high, P2 medium, P3 low.'),
  description: z.string().trim().min(1).describe('What is wrong and why it matters.'),
  file: z.string().min(1).optional().describe('Workspace-relative file inside the audit target.'),
  line: z.number().int().min(1).optional().describe('1-based line in that file.'),
  recommendation: z.string().trim().min(1).describe('A concrete change that closes the finding.'),
});

export const auditReport = z.object({
  score: z.number().min(0).max(100).describe('The target\'s score along the audited dimension, 0–100.'),
  findings: z.array(auditFinding).describe('Every open finding; an empty list only for a score of 100.'),
});

export type SpecReport = z.infer<typeof specReport>;
export type LayerResult = z.infer<typeof layerResult>;
export type ReviewReport = z.infer<typeof reviewReport>;
export type CriterionVerdict = z.infer<typeof criterionVerdict>;
export type Diagnosis = z.infer<typeof diagnosis>;
export type AuditFinding = z.infer<typeof auditFinding>;
export type AuditReport = z.infer<typeof auditReport>;

/** The validated final input each final tool yields (AgentResult.final). */
export interface FinalReports {
  submit_spec: SpecReport;
  submit_result: LayerResult;
  submit_review: ReviewReport;
  submit_diagnosis: Diagnosis;
  submit_audit: AuditReport;
}

export const finalToolSchemas: { [K in FinalToolName]: z.ZodType<FinalReports[K]> } = {
  submit_spec: specReport,
  submit_result: layerResult,
  submit_review: reviewReport,
  submit_diagnosis: diagnosis,
  submit_audit: auditReport,
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
};
