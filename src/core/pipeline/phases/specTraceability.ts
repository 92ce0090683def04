/**
 * `submit_spec` is refused (is_error, with the lines) unless the spec can be traced (seed 000,
 * docs/traceability.md): requirements with ids and EARS acceptance criteria, every open task
 * citing the requirement ids it serves, every requirement served by a task, and a contract
 * (success, 4xx, 5xx, timeout) for every endpoint the spec names. One check of specChecks.ts.
 */
import type { FinalCheck, SpecReport } from '../../agents';
import type { OrchestratorConfig } from '../../project/config';
import { specWork } from '../../project/specs';
import { hasProblems, specLinkProblems, type SpecLinkProblems, type TraceProblem } from '../../trace';

export function traceabilityCheck(config: OrchestratorConfig): FinalCheck<SpecReport> {
  return (report) => {
    const problems = specLinkProblems(report.markdown, specWork(report.markdown, config).tasks);
    return hasProblems(problems)
      ? describeLinkProblems(problems, 'refused: the spec cannot be traced from requirements to tasks')
      : undefined;
  };
}

/** The problems as lines for a model or a human, then how to fix them. */
export function describeLinkProblems(problems: SpecLinkProblems, headline: string): string {
  const lines = [`${headline}:`];
  const list = (title: string, items: TraceProblem[]) => {
    if (items.length === 0) return;
    lines.push(
      title,
      ...items.map(
        (item) => `- line ${item.line}: ${item.text.length > 160 ? `${item.text.slice(0, 157)}...` : item.text}`,
      ),
    );
  };
  if (problems.noRequirements)
    lines.push('- the spec has no requirements (no "### Requirements" section with ids such as REQ-1)');
  list('Duplicate ids:', problems.duplicateIds);
  list('Requirements without acceptance criteria:', problems.requirementsWithoutCriteria);
  list(
    'Acceptance criteria not in EARS form (WHEN <trigger> THE <system> SHALL <response>):',
    problems.criteriaNotEars,
  );
  list('Tasks that cite no requirement id:', problems.tasksWithoutRequirement);
  list('Requirements no task cites:', problems.requirementsWithoutTask);
  list(
    'API contracts missing or incomplete (each endpoint needs its success and failure payloads: 4xx, 5xx and timeouts):',
    problems.contractGaps,
  );
  lines.push(
    'Write a "### Requirements" section: one "#### REQ-n: title" per requirement with its acceptance criteria as "- REQ-n.m: WHEN … THE … SHALL …"; cite the ids each task serves in the task, e.g. "(REQ-1, REQ-2.1)"; for every endpoint add an entry under "### API Contracts" with the success response and the 4xx, 5xx and timeout cases. Then call submit_spec again with the whole spec.',
  );
  return lines.join('\n');
}
