/**
 * What traceability asks of a spec before any code is written (seed 000: contracts first,
 * every task serving a requirement): each problem with the line it is on. Used to refuse
 * `submit_spec` and to warn about a spec a human wrote or brought (Kiro, Spec Kit).
 */
import type { SpecChecklistItem } from '../project/specs';
import { citedRequirements, endpointKey, isEars, parseRequirements, type SpecRequirements } from './requirements';

export interface TraceProblem {
  line: number;
  text: string;
}

export interface SpecLinkProblems {
  /** The spec declares no requirement at all. */
  noRequirements: boolean;
  duplicateIds: TraceProblem[];
  requirementsWithoutCriteria: TraceProblem[];
  criteriaNotEars: TraceProblem[];
  tasksWithoutRequirement: TraceProblem[];
  requirementsWithoutTask: TraceProblem[];
  /** Endpoints whose contract is missing or lacks success, 4xx, 5xx or timeout. */
  contractGaps: TraceProblem[];
}

export function specLinkProblems(
  markdown: string,
  tasks: readonly SpecChecklistItem[],
  parsed: SpecRequirements = parseRequirements(markdown),
): SpecLinkProblems {
  const { requirements } = parsed;
  const seen = new Set<string>();
  const duplicateIds: TraceProblem[] = [];
  for (const id of requirements.flatMap((r) => [
    { id: r.id, line: r.line },
    ...r.criteria.map((c) => ({ id: c.id, line: c.line })),
  ])) {
    if (seen.has(id.id)) duplicateIds.push({ line: id.line, text: id.id });
    seen.add(id.id);
  }
  const served = new Set<string>();
  const tasksWithoutRequirement: TraceProblem[] = [];
  for (const task of tasks) {
    const cited = citedRequirements(task.text, requirements);
    cited.forEach((id) => served.add(id));
    if (cited.length === 0 && !task.done) tasksWithoutRequirement.push({ line: task.line, text: task.text });
  }
  return {
    noRequirements: requirements.length === 0,
    duplicateIds,
    requirementsWithoutCriteria: requirements
      .filter((r) => r.criteria.length === 0)
      .map((r) => ({ line: r.line, text: `${r.id} ${r.title}`.trim() })),
    criteriaNotEars: requirements
      .flatMap((r) => r.criteria)
      .filter((c) => !isEars(c.text))
      .map((c) => ({ line: c.line, text: `${c.id} ${c.text}` })),
    tasksWithoutRequirement,
    requirementsWithoutTask: requirements
      .filter((r) => !served.has(r.id))
      .map((r) => ({ line: r.line, text: `${r.id} ${r.title}`.trim() })),
    contractGaps: contractGaps(parsed),
  };
}

export function hasProblems(problems: SpecLinkProblems): boolean {
  return problems.noRequirements || Object.values(problems).some((value) => Array.isArray(value) && value.length > 0);
}

const COVERAGE: [string, RegExp][] = [
  ['success', /\b2\d\d\b|\b2xx\b|success|\bok\b|éxito|sucesso/i],
  ['4xx', /\b4\d\d\b|\b4xx\b/i],
  ['5xx', /\b5\d\d\b|\b5xx\b/i],
  ['timeout', /time-?\s?outs?\b|timed out|\b408\b|\b504\b|tiempo de espera|tempo limite/i],
];

function contractGaps(parsed: SpecRequirements): TraceProblem[] {
  const byKey = new Map<string, string>();
  for (const contract of parsed.contracts) {
    const key = endpointKey(contract.endpoint);
    byKey.set(key, `${byKey.get(key) ?? ''}\n${contract.text}`);
  }
  const gaps: TraceProblem[] = [];
  const endpoints = [...parsed.contracts.map((c) => ({ endpoint: c.endpoint, line: c.line })), ...parsed.endpoints];
  const checked = new Set<string>();
  for (const { endpoint, line } of endpoints) {
    const key = endpointKey(endpoint);
    if (checked.has(key)) continue;
    checked.add(key);
    const text = byKey.get(key);
    if (text === undefined) {
      gaps.push({ line, text: `${endpoint}: no contract` });
      continue;
    }
    const missing = COVERAGE.filter(([, pattern]) => !pattern.test(text)).map(([name]) => name);
    if (missing.length > 0) gaps.push({ line, text: `${endpoint}: the contract lacks ${missing.join(', ')}` });
  }
  return gaps;
}
