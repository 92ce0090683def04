/**
 * REVIEW per acceptance criterion (seed 000): the review agent judges every criterion of the
 * spec; `submit_review` is refused until each has a verdict, and an unmet criterion counts as
 * a rejection, its fix routed to the layer owning its file like any other review issue.
 * A spec without criteria (written before traceability) is reviewed as before.
 */
import type { CriterionVerdict, FinalCheck, ReviewReport } from '../../agents';
import type { CriterionResult, ReviewIssue } from '../../events';
import type { Criterion } from '../../trace';

/** What the review's task adds when the spec has criteria: the list to judge, one by one. */
export function criteriaTask(criteria: readonly Criterion[]): string {
  if (criteria.length === 0) return '';
  return [
    '## ACCEPTANCE CRITERIA — JUDGE EACH ONE',
    'Give a verdict for every criterion below in `criteria` ({id, verdict: "met" | "unmet"}). For an unmet one also give `file` (where it must be fixed), `line` when you can, `problem` and `fix`. An unmet criterion rejects the change.',
    ...criteria.map((c) => `- ${c.id}: ${c.text}`),
  ].join('\n');
}

/** Refuses a review that leaves a criterion unjudged, names unknown ones, or gives an unmet one no file/problem/fix. */
export function criteriaCheck(criteria: readonly Criterion[]): FinalCheck<ReviewReport> {
  return (report) => {
    if (criteria.length === 0) return undefined;
    const known = new Set(criteria.map((c) => c.id));
    const judged = new Set((report.criteria ?? []).map((c) => c.id));
    const missing = criteria.filter((c) => !judged.has(c.id)).map((c) => c.id);
    const unknown = [...judged].filter((id) => !known.has(id));
    const incomplete = (report.criteria ?? [])
      .filter((c) => c.verdict === 'unmet' && (!c.file || !c.problem || !c.fix))
      .map((c) => c.id);
    const reasons = [
      missing.length ? `- criteria without a verdict: ${missing.join(', ')}` : '',
      unknown.length ? `- criteria the spec does not have: ${unknown.join(', ')} (ids: ${[...known].join(', ')})` : '',
      incomplete.length ? `- unmet criteria without file, problem and fix: ${incomplete.join(', ')}` : '',
    ].filter(Boolean);
    if (reasons.length === 0) return undefined;
    return [
      'refused: judge every acceptance criterion of the spec, once:',
      ...reasons,
      'Call submit_review again with the verdict, the issues and one entry per criterion in `criteria`.',
    ].join('\n');
  };
}

/** The verdict the run acts on: rejected when the agent rejected or any criterion is unmet. */
export function effectiveVerdict(report: ReviewReport): {
  verdict: 'approved' | 'rejected';
  issues: ReviewIssue[];
  criteria?: CriterionResult[];
} {
  const criteria = report.criteria;
  const unmet = (criteria ?? []).filter((c) => c.verdict === 'unmet');
  const issues = [...(report.verdict === 'rejected' ? report.issues : []), ...unmet.map(criterionIssue)];
  const verdict = report.verdict === 'rejected' || unmet.length > 0 ? 'rejected' : 'approved';
  return {
    verdict,
    issues: verdict === 'approved' ? [] : issues,
    ...(criteria
      ? {
          criteria: criteria.map((c) => ({
            id: c.id,
            verdict: c.verdict,
            ...(c.problem ? { problem: c.problem } : {}),
          })),
        }
      : {}),
  };
}

function criterionIssue(c: CriterionVerdict): ReviewIssue {
  return {
    file: c.file ?? '',
    ...(c.line ? { line: c.line } : {}),
    severity: 'major',
    problem: `${c.id} not met: ${c.problem ?? 'unmet'}`,
    fix: c.fix ?? 'meet the criterion',
    criterion: c.id,
  };
}
