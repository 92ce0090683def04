/**
 * What the strength step asks of a mutation engine (issue 61): which files it mutates, the mutants
 * it would make on their changed lines, and their verdicts against given tests in a copy of the
 * work tree. StrykerJS (stryker/) serves JavaScript and TypeScript; the built-in mutator (builtin/)
 * every other language. Commands go through `run`, which the pipeline confines to the sandbox.
 */
import type { ChangedLines, Mutant, MutantStatus } from './types';

/** A command run in a copy: the caller's sandbox, bounded by `timeoutSec`; `readOnly`: folders it must see (the engine's own install). */
export type MutationCommandRunner = (
  command: string,
  options: { cwd: string; timeoutSec: number; readOnly: readonly string[] },
) => Promise<{ exitCode: number | null; output: string; timedOut: boolean }>;

/** The proof tests one engine run judges mutants by, and how the project runs them. */
export interface EngineRun {
  /** The copy of the work tree (the engine may change it; nothing else uses it). */
  copy: string;
  mutants: readonly Mutant[];
  /** Proof test files, relative to the copy. */
  tests: readonly string[];
  /** `timeoutSec`: one proof command's limit in RED and GREEN (a mutant that outlasts it timed out). */
  proof: { command: readonly string[]; tests: readonly string[]; timeoutSec?: number };
  concurrency: number;
  timeoutSec: number;
  run: MutationCommandRunner;
  /**
   * Several criteria's test files at once (`tests` is their union): each mutant judged by each
   * suite's tests alone, in `suites` of the result, by an engine that `attributes`.
   */
  suites?: ReadonlyArray<readonly string[]>;
}

/** What an engine run found: each mutant's status by id (per suite, when suites were given). */
export interface EngineVerdict {
  statuses: Map<string, MutantStatus>;
  suites?: Map<string, MutantStatus>[];
  error?: string;
}

export interface MutationEngine {
  name: string;
  /** Whether it mutates this file (relative path). */
  handles(path: string): boolean;
  /** The mutants it would make on `changed` (files of the copy at `root`). */
  list(root: string, changed: readonly ChangedLines[]): Promise<Mutant[]>;
  /** Each mutant's status by id; a mutant left out was not run (the time cap). */
  execute(job: EngineRun): Promise<EngineVerdict>;
  /**
   * Whether one run of it can judge each mutant by several criteria's tests (which tests killed
   * it), so criteria with different test files share its start.
   */
  attributes?(copy: string, proof: EngineRun['proof']): Promise<boolean>;
}
