/** Seed 000's phase F: "a missing test for a requirement fails the gate" — which requirements have none. */
import type { TraceMatrix } from '../traceMatrix';

export interface UntestedRequirement {
  id: string;
  title: string;
  /** Its criteria (all without a test), empty when it has none of its own. */
  criteria: string[];
}

/** Requirements none of whose criteria has a test (a test file citing it, or testing a file it changed). */
export function untestedRequirements(matrix: TraceMatrix): UntestedRequirement[] {
  const byRequirement = new Map<string, UntestedRequirement & { tested: boolean }>();
  for (const row of matrix.rows) {
    const entry = byRequirement.get(row.requirement) ?? {
      id: row.requirement,
      title: row.requirementTitle,
      criteria: [],
      tested: false,
    };
    if (row.tests.length > 0) entry.tested = true;
    if (row.criterion !== row.requirement) entry.criteria.push(row.criterion);
    byRequirement.set(row.requirement, entry);
  }
  return [...byRequirement.values()]
    .filter((entry) => !entry.tested)
    .map(({ id, title, criteria }) => ({ id, title, criteria }));
}
