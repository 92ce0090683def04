/**
 * `verify --explain`: the review agent judges the changed requirements of a spec against their
 * criteria — one review per spec, read-only tools, the diff of the requirements' files since
 * the completion commit in its task, `submit_review` refused until every criterion asked about
 * has a verdict. The only model call drift makes, and only when asked.
 */
import { runAgent } from '../agents';
import type { RunOptions } from '../api';
import { Budget } from '../llm';
import { criteriaCheck, criteriaTask, effectiveVerdict, REVIEW_MAX_TOKENS } from '../pipeline/feature';
import { specCriteria } from '../pipeline/proof';
import { reviewBrief, reviewSystem } from '../pipeline/agent';
import { openRunModels } from '../pipeline/kernel';
import { modelFor, type OrchestratorConfig } from '../project/config';
import type { Spec } from '../project/specs';
import type { LineStats } from './fileChanges';
import type { SpecDrift } from './types';

/** The diff shown to the review is bounded: a drifted module, not a repository. */
const MAX_DIFF_CHARS = 120_000;

export interface Explainer {
  opts: RunOptions;
  config: OrchestratorConfig;
  lines: LineStats;
}

/** Fills `explanation` on the changed requirements; returns what the review cost. */
export async function explainChanged(explainer: Explainer, spec: Spec, drift: SpecDrift): Promise<number> {
  const changed = drift.requirements.filter((r) => r.status === 'changed');
  if (changed.length === 0) return 0;
  const { opts, config } = explainer;
  const asked = new Set(changed.flatMap((r) => r.criteria));
  const criteria = specCriteria(spec.body).filter((c) => asked.has(c.id));
  const paths = [...new Set(changed.flatMap((r) => r.changedFiles.map((c) => c.path)))];
  const diff =
    (await explainer.lines.diff(drift.basis.commit, paths)) ??
    '(the completion commit is not in this repository: read the changed files as they are now)';
  const emit = (event: Parameters<RunOptions['host']['onEvent']>[0]) => opts.host.onEvent(event);
  const models = await openRunModels(opts, config, ['review']);
  const result = await runAgent(
    {
      name: 'review',
      mode: 'review',
      attempt: 1,
      model: modelFor(config, 'review'),
      maxTokens: REVIEW_MAX_TOKENS,
      system: reviewSystem(),
      context: reviewBrief(spec.body),
      task: [
        `## TASK\nThe spec in your context completed at ${drift.basis.commit ? `commit ${drift.basis.commit}` : 'an earlier state'}. Its code changed since: does it still meet these criteria? Judge today's code (read what you need).`,
        `## CHANGED REQUIREMENTS\n${changed.map((r) => `- ${r.requirement} ${r.title}: ${r.changedFiles.map((c) => `${c.path} (${c.status})`).join(', ') || 'files changed'}`).join('\n')}`,
        `## DIFF SINCE THE SPEC COMPLETED\n\`\`\`diff\n${diff.length > MAX_DIFF_CHARS ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… (cut)` : diff}\n\`\`\``,
        criteriaTask(criteria),
      ].join('\n\n'),
      owns: [],
      finalTool: 'submit_review',
      checkFinal: criteriaCheck(criteria),
      maxTurns: config.limits.maxAgentTurns,
    },
    {
      workspace: explainer.opts.workspace,
      deny: config.privacy.deny,
      client: models.clientFor('review', emit),
      budget: new Budget(config.limits.maxBudgetUsd, 0, config.limits.maxRequests),
      emit,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  if (!result.final) {
    drift.warnings.push(
      `--explain: the review did not answer (${result.outcome}${result.error ? `: ${result.error}` : ''})`,
    );
    return result.costUsd;
  }
  const verdicts = new Map((effectiveVerdict(result.final).criteria ?? []).map((c) => [c.id, c]));
  for (const req of changed) {
    req.explanation = req.criteria
      .map((id) => {
        const v = verdicts.get(id);
        return v ? `${id} ${v.verdict}${v.problem ? `: ${v.problem}` : ''}` : `${id} not judged`;
      })
      .join('; ');
  }
  return result.costUsd;
}
