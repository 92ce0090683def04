/**
 * The strength of the proof (issue 61): per criterion, mutants of the changed lines its tasks'
 * code holds, sampled within the caps, each run against that criterion's frozen proof tests in a
 * copy of the work tree (never the run's own) by the engine that handles its file.
 */
import type { ChangedLines, Mutant, MutantResult, MutantStatus } from './types';
import type { MutationCommandRunner, MutationEngine } from './engine';
import { builtinEngine } from './builtin';
import { sampleMutants } from './sample';
import { strykerEngine } from './stryker/strykerEngine';
import { copyWorkTree } from './workCopy';

export interface StrengthCriterion {
  id: string;
  /** Its frozen proof test files (relative). */
  tests: readonly string[];
  /** The files its tasks' layers changed (relative); their changed lines are mutated. */
  files: readonly string[];
}

export interface StrengthCaps {
  perCriterion: number;
  perRun: number;
  /** Wall time of one criterion's engine run (criteria measured in one run share their times). */
  timeoutSec: number;
  concurrency: number;
}

export interface StrengthJob {
  /** The run's work tree: copied, never written. */
  workTree: string;
  changed: readonly ChangedLines[];
  criteria: readonly StrengthCriterion[];
  proof: { command: readonly string[]; tests: readonly string[]; timeoutSec?: number };
  caps: StrengthCaps;
  /** Journaled with the result: the same seed samples the same mutants. */
  seed: string;
  engines: readonly MutationEngine[];
  run: MutationCommandRunner;
  /** Mutant ids a review judged equivalent: never sampled again. */
  skip?: ReadonlySet<string>;
}

export interface CriterionStrength {
  criterion: string;
  results: MutantResult[];
  tried: number;
  killed: number;
  survived: number;
  /** What kept a mutant from a verdict (the engine's failure, the time cap). */
  error?: string;
}

// The score every view shows (a portable leaf, so the webview and the portal count alike).
export { strengthScore } from '../proofWords';

/** StrykerJS when the project installs it (JavaScript and TypeScript), and the built-in mutator (the other languages). */
export function defaultEngines(workspace: string): MutationEngine[] {
  const stryker = strykerEngine(workspace);
  return stryker ? [stryker, builtinEngine] : [builtinEngine];
}

/** Each surviving mutant as the journal and the reports name it: its id, file, line and change. */
export function survivorsOf(
  s: Pick<CriterionStrength, 'results'>,
): Array<{ id: string; file: string; line: number; change: string }> {
  return s.results
    .filter((m) => m.status === 'survived')
    .map((m) => ({ id: m.id, file: m.path, line: m.line, change: `${m.operator}: ${m.original} → ${m.replacement}` }));
}

export async function measureStrength(job: StrengthJob): Promise<CriterionStrength[]> {
  const perCriterion = Math.max(
    1,
    Math.min(job.caps.perCriterion, Math.floor(job.caps.perRun / Math.max(1, job.criteria.length))),
  );
  const chosen = new Map<string, Chosen>();
  for (const criterion of job.criteria) chosen.set(criterion.id, await choose(job, criterion, perCriterion));
  // Criteria whose frozen tests are the same files get the same verdict for a mutant: one engine
  // run over the union of their mutants serves them all (the step's cost is mostly each run's start).
  const groups = new Map<string, StrengthCriterion[]>();
  for (const criterion of job.criteria) {
    const key = JSON.stringify([...new Set(criterion.tests)].sort());
    groups.set(key, [...(groups.get(key) ?? []), criterion]);
  }
  const verdicts = new Map<string, { statuses: Map<string, MutantStatus>; error?: string }>();
  for (const group of groups.values()) {
    const verdict = await runGroup(job, group, chosen);
    for (const criterion of group) verdicts.set(criterion.id, verdict);
  }
  return job.criteria.map((criterion) => {
    const { statuses, error } = verdicts.get(criterion.id)!;
    const results: MutantResult[] = [];
    for (const m of chosen.get(criterion.id)!.mutants) {
      const status = statuses.get(m.id);
      if (status) results.push({ ...m, status, criteria: [criterion.id] });
    }
    const killed = results.filter((r) => r.status === 'killed' || r.status === 'timeout').length;
    const survived = results.filter((r) => r.status === 'survived').length;
    return {
      criterion: criterion.id,
      results,
      tried: results.length,
      killed,
      survived,
      ...(error ? { error } : {}),
    };
  });
}

/** A criterion's sampled mutants, each with the engine that makes it. */
interface Chosen {
  mutants: Mutant[];
  engineOf: Map<string, MutationEngine>;
}

async function choose(job: StrengthJob, criterion: StrengthCriterion, cap: number): Promise<Chosen> {
  const files = new Set(criterion.files);
  const changed = job.changed.filter((c) => files.has(c.path) && !isProofTest(job, c.path));
  // Listing only reads the files: from the work tree. Only a run of mutants needs the copy.
  const engineOf = new Map<string, MutationEngine>();
  const candidates: Mutant[] = [];
  const used: MutationEngine[] = [];
  for (const engine of job.engines) {
    const mine = changed.filter((c) => engine.handles(c.path) && !used.some((e) => e.handles(c.path)));
    if (mine.length === 0) continue;
    used.push(engine);
    for (const m of await engine.list(job.workTree, mine)) {
      if (job.skip?.has(m.id)) continue;
      candidates.push(m);
      engineOf.set(m.id, engine);
    }
  }
  return { mutants: sampleMutants(candidates, cap, `${job.seed}:${criterion.id}`), engineOf };
}

/** One copy, and one run per engine, for the union of a group's mutants against their shared tests. */
async function runGroup(
  job: StrengthJob,
  group: readonly StrengthCriterion[],
  chosen: ReadonlyMap<string, Chosen>,
): Promise<{ statuses: Map<string, MutantStatus>; error?: string }> {
  const byEngine = new Map<MutationEngine, Map<string, Mutant>>();
  for (const criterion of group) {
    const { mutants, engineOf } = chosen.get(criterion.id)!;
    for (const m of mutants) {
      const engine = engineOf.get(m.id)!;
      byEngine.set(engine, (byEngine.get(engine) ?? new Map()).set(m.id, m));
    }
  }
  const statuses = new Map<string, MutantStatus>();
  if (byEngine.size === 0) return { statuses };
  const errors: string[] = [];
  const copy = await copyWorkTree(job.workTree);
  const run: MutationCommandRunner = (command, options) =>
    job.run(command, { ...options, readOnly: [...options.readOnly, ...copy.linked] });
  try {
    for (const engine of job.engines) {
      const mutants = byEngine.get(engine);
      if (!mutants) continue;
      const verdict = await engine.execute({
        copy: copy.path,
        mutants: [...mutants.values()],
        tests: group[0]!.tests,
        proof: job.proof,
        concurrency: job.caps.concurrency,
        timeoutSec: job.caps.timeoutSec * group.length,
        run,
      });
      if (verdict.error) errors.push(verdict.error);
      for (const [id, status] of verdict.statuses) statuses.set(id, status);
    }
  } finally {
    await copy.dispose();
  }
  return { statuses, ...(errors.length ? { error: errors.join('\n\n') } : {}) };
}

/** The proof tests are never mutated, whoever's they are. */
function isProofTest(job: StrengthJob, path: string): boolean {
  return job.criteria.some((c) => c.tests.includes(path));
}
