// Mutation strength (issue 61): what a mutant is, wherever it comes from. The built-in mutator
// (builtin/, every language, changed lines only) and StrykerJS (stryker/, JavaScript and
// TypeScript) both produce these; the proof step runs each against the frozen proof tests.

/** Lines of one file the run changed against its base, 1-based and inclusive. */
export interface ChangedLines {
  /** Path relative to the work tree, forward slashes. */
  path: string;
  ranges: Array<{ start: number; end: number }>;
}

/** One small wrong change to the code a layer wrote. */
export interface Mutant {
  /** Stable across a resume: derived from the file, the line, the column and the change. */
  id: string;
  path: string;
  /** 1-based line and column where the change starts. */
  line: number;
  column: number;
  /** 1-based line and column just past the replaced text, when the engine knows it (StrykerJS limits its run with it). */
  end?: { line: number; column: number };
  /** What kind of change, for the report: `comparison`, `boundary`, `boolean`, `constant`, `statement`, `return`, … */
  operator: string;
  /** The text replaced and what replaces it (one line each when shown). */
  original: string;
  replacement: string;
}

/** What became of a mutant once the proof tests ran against it. */
export type MutantStatus = 'killed' | 'survived' | 'timeout' | 'error' | 'equivalent';

export interface MutantResult extends Mutant {
  status: MutantStatus;
  /** The proof tests (by criterion) that ran against it. */
  criteria: string[];
}
