/**
 * The strength of the proof (issue 61): per criterion, mutants of the changed lines its tasks'
 * code holds, sampled within the caps, each run against that criterion's frozen proof tests in a
 * copy of the work tree (never the run's own) by the engine that handles its file.
 */
import type { ChangedLines, Mutant, MutantResult } from './types';
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
  /** Wall time of one criterion's engine run. */
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
  const out: CriterionStrength[] = [];
  for (const criterion of job.criteria) out.push(await criterionStrength(job, criterion, perCriterion));
  return out;
}

async function criterionStrength(
  job: StrengthJob,
  criterion: StrengthCriterion,
  cap: number,
): Promise<CriterionStrength> {
  const files = new Set(criterion.files);
  const changed = job.changed.filter((c) => files.has(c.path) && !isProofTest(job, c.path));
  // Listing only reads the files: from the work tree. Only a run of mutants needs the copy.
  const listed: Array<{ engine: MutationEngine; mutants: Mutant[] }> = [];
  for (const engine of job.engines) {
    const mine = changed.filter((c) => engine.handles(c.path) && !listed.some((l) => l.engine.handles(c.path)));
    if (mine.length > 0) listed.push({ engine, mutants: await engine.list(job.workTree, mine) });
  }
  const candidates = listed.flatMap((l) => l.mutants).filter((m) => !job.skip?.has(m.id));
  const chosen = new Set(sampleMutants(candidates, cap, `${job.seed}:${criterion.id}`).map((m) => m.id));
  const results: MutantResult[] = [];
  const errors: string[] = [];
  if (chosen.size > 0) {
    const copy = await copyWorkTree(job.workTree);
    const run: MutationCommandRunner = (command, options) =>
      job.run(command, { ...options, readOnly: [...options.readOnly, ...copy.linked] });
    try {
      for (const { engine, mutants } of listed) {
        const mine = mutants.filter((m) => chosen.has(m.id));
        if (mine.length === 0) continue;
        const { statuses, error } = await engine.execute({
          copy: copy.path,
          mutants: mine,
          tests: criterion.tests,
          proof: job.proof,
          concurrency: job.caps.concurrency,
          timeoutSec: job.caps.timeoutSec,
          run,
        });
        if (error) errors.push(error);
        for (const m of mine) {
          const status = statuses.get(m.id);
          if (status) results.push({ ...m, status, criteria: [criterion.id] });
        }
      }
    } finally {
      await copy.dispose();
    }
  }
  const killed = results.filter((r) => r.status === 'killed' || r.status === 'timeout').length;
  const survived = results.filter((r) => r.status === 'survived').length;
  return {
    criterion: criterion.id,
    results,
    tried: results.length,
    killed,
    survived,
    ...(errors.length ? { error: errors.join('\n\n') } : {}),
  };
}

/** The proof tests are never mutated, whoever's they are. */
function isProofTest(job: StrengthJob, path: string): boolean {
  return job.criteria.some((c) => c.tests.includes(path));
}
