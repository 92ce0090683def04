/**
 * The strength of the proof (issue 61): per criterion, mutants of the changed lines its tasks'
 * code holds, sampled within the caps, each run against that criterion's frozen proof tests in a
 * copy of the work tree (never the run's own) by the engine that handles its file.
 */
import { availableParallelism } from 'node:os';
import { RunCancelled, RunStop } from '../errors';
import type { ChangedLines, Mutant, MutantResult, MutantStatus } from './types';
import type { EngineRun, EngineVerdict, MutationCommandRunner, MutationEngine } from './engine';
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
  /** Test processes at once (`limits.concurrency`), never more than the machine's cores: past them they only take turns, each in a copy to make. */
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
export { strengthScore } from '../text/proofWords';

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
  // Groups with different files still share one run of an engine that says which tests killed a
  // mutant (StrykerJS with a runner plugin): one start, each group judged by its own tests.
  const suites = [...groups.values()];
  const shared = suites.length > 1 ? await sharedEngines(job, suites, chosen) : [];
  const across = shared.length > 0 ? await runShared(job, suites, chosen, shared) : [];
  const verdicts = new Map<string, Verdict>();
  for (const [i, group] of suites.entries()) {
    const own = await runGroup(job, group, chosen, shared);
    const verdict = merge([own, ...(across[i] ? [across[i]] : [])]);
    for (const criterion of group) verdicts.set(criterion.id, verdict);
  }
  return job.criteria.map((criterion) => {
    const { statuses, error } = merge([verdicts.get(criterion.id)!, chosen.get(criterion.id)!.listing]);
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

/** A criterion's sampled mutants, each with the engine that makes it; `listing.error`: an engine that could not list its files'. */
interface Chosen {
  mutants: Mutant[];
  engineOf: Map<string, MutationEngine>;
  listing: Verdict;
}

async function choose(job: StrengthJob, criterion: StrengthCriterion, cap: number): Promise<Chosen> {
  const files = new Set(criterion.files);
  const changed = job.changed.filter((c) => files.has(c.path) && !isProofTest(job, c.path));
  // Listing only reads the files: from the work tree. Only a run of mutants needs the copy.
  const engineOf = new Map<string, MutationEngine>();
  const candidates: Mutant[] = [];
  const used: MutationEngine[] = [];
  const errors: Verdict[] = [];
  for (const engine of job.engines) {
    const mine = changed.filter((c) => engine.handles(c.path) && !used.some((e) => e.handles(c.path)));
    if (mine.length === 0) continue;
    used.push(engine);
    const listed = await engine.list(job.workTree, mine).catch((error: unknown) => {
      errors.push(engineFailed(engine, 'could not load in this project', error));
      return [];
    });
    for (const m of listed) {
      if (job.skip?.has(m.id)) continue;
      candidates.push(m);
      engineOf.set(m.id, engine);
    }
  }
  return { mutants: sampleMutants(candidates, cap, `${job.seed}:${criterion.id}`), engineOf, listing: merge(errors) };
}

/**
 * An engine that cannot load or run in the project (StrykerJS's Babel 8 reading a project's Babel 7
 * config, a TypeScript it does not support, a runner plugin missing): no verdict, and the reason,
 * never a failure of the run the proof and validation passed. Cancellation and a stop are the run's.
 */
function engineFailed(engine: MutationEngine, what: string, error: unknown): Verdict {
  if (error instanceof RunCancelled || error instanceof RunStop) throw error;
  // The cause on the first line: views show that line alone (engineErrorLine).
  const message = (error instanceof Error ? error.message : String(error)).trim().slice(0, 2000);
  return { statuses: new Map(), error: `${engine.name} ${what}: ${message}` };
}

/** An engine's run, its failure a verdict without statuses (engineFailed). */
function judge(engine: MutationEngine, run: EngineRun): Promise<EngineVerdict> {
  return engine.execute(run).catch((error: unknown) => engineFailed(engine, 'failed', error));
}

type Verdict = { statuses: Map<string, MutantStatus>; error?: string };

const merge = (verdicts: readonly Verdict[]): Verdict => {
  const errors = verdicts.flatMap((v) => (v.error ? [v.error] : []));
  return {
    statuses: new Map(verdicts.flatMap((v) => [...v.statuses])),
    ...(errors.length ? { error: errors.join('\n\n') } : {}),
  };
};

/** The mutants of these criteria that `engine` makes, each once. */
function mutantsOf(
  criteria: readonly StrengthCriterion[],
  chosen: ReadonlyMap<string, Chosen>,
  engine: MutationEngine,
): Mutant[] {
  const out = new Map<string, Mutant>();
  for (const criterion of criteria) {
    const { mutants, engineOf } = chosen.get(criterion.id)!;
    for (const m of mutants) if (engineOf.get(m.id) === engine) out.set(m.id, m);
  }
  return [...out.values()];
}

/** A fresh copy of the work tree for `use`, and a runner that may read what its links lead to. */
async function inCopy<T>(job: StrengthJob, use: (copy: string, run: MutationCommandRunner) => Promise<T>): Promise<T> {
  const copy = await copyWorkTree(job.workTree);
  try {
    return await use(copy.path, (command, options) =>
      job.run(command, { ...options, readOnly: [...options.readOnly, ...copy.linked] }),
    );
  } finally {
    await copy.dispose();
  }
}

/** The engines that judge each mutant by each group's tests in one run, with mutants in two groups at least. */
async function sharedEngines(
  job: StrengthJob,
  suites: readonly StrengthCriterion[][],
  chosen: ReadonlyMap<string, Chosen>,
): Promise<MutationEngine[]> {
  const out: MutationEngine[] = [];
  for (const engine of job.engines) {
    const groups = suites.filter((group) => mutantsOf(group, chosen, engine).length > 0).length;
    if (groups > 1 && (await engine.attributes?.(job.workTree, job.proof))) out.push(engine);
  }
  return out;
}

/** One copy and one run per shared engine over every group's mutants and tests; each group's verdict. */
async function runShared(
  job: StrengthJob,
  suites: readonly StrengthCriterion[][],
  chosen: ReadonlyMap<string, Chosen>,
  engines: readonly MutationEngine[],
): Promise<Verdict[]> {
  const perGroup: Verdict[][] = suites.map(() => []);
  await inCopy(job, async (copy, run) => {
    for (const engine of engines) {
      const verdict = await judge(engine, {
        copy,
        mutants: mutantsOf(suites.flat(), chosen, engine),
        tests: [...new Set(suites.flatMap((group) => group[0]!.tests))],
        suites: suites.map((group) => group[0]!.tests),
        proof: job.proof,
        concurrency: workersOf(job.caps),
        timeoutSec: job.caps.timeoutSec * job.criteria.length,
        run,
      });
      for (const [i, group] of suites.entries()) {
        const mine = new Set(mutantsOf(group, chosen, engine).map((m) => m.id));
        const statuses = verdict.suites?.[i] ?? new Map();
        perGroup[i]!.push({
          statuses: new Map([...statuses].filter(([id]) => mine.has(id))),
          ...(verdict.error ? { error: verdict.error } : {}),
        });
      }
    }
  });
  return perGroup.map(merge);
}

/** One copy, and one run per engine not shared, for the union of a group's mutants against their shared tests. */
async function runGroup(
  job: StrengthJob,
  group: readonly StrengthCriterion[],
  chosen: ReadonlyMap<string, Chosen>,
  shared: readonly MutationEngine[],
): Promise<Verdict> {
  const engines = job.engines.filter((e) => !shared.includes(e) && mutantsOf(group, chosen, e).length > 0);
  if (engines.length === 0) return { statuses: new Map() };
  return inCopy(job, async (copy, run) => {
    const verdicts: Verdict[] = [];
    for (const engine of engines)
      verdicts.push(
        await judge(engine, {
          copy,
          mutants: mutantsOf(group, chosen, engine),
          tests: group[0]!.tests,
          proof: job.proof,
          concurrency: workersOf(job.caps),
          timeoutSec: job.caps.timeoutSec * group.length,
          run,
        }),
      );
    return merge(verdicts);
  });
}

/** The proof tests are never mutated, whoever's they are. */
function isProofTest(job: StrengthJob, path: string): boolean {
  return job.criteria.some((c) => c.tests.includes(path));
}

/** The engine's test processes at once: the caps', at most one a core. */
const workersOf = (caps: StrengthCaps): number => Math.max(1, Math.min(caps.concurrency, availableParallelism()));
