/**
 * The contract between the bench runner (bench/index.ts) and the bench cases
 * (bench/cases/*.ts). Add a benchmark by adding a file to bench/cases whose default export
 * is a BenchCase; the runner finds it, runs it and puts its rows in the table.
 */

/** One line of the results table. */
export interface BenchRow {
  /** What was measured, e.g. "UNDERSTAND, 10k-entity registry (median of 9)". */
  name: string;
  /** The measured figure; a string when it is not one number (e.g. "$0.01 vs $0.04"). */
  value: number | string;
  /** Unit of `value`: "ms", "×", "%", "KiB", … ("" for none). */
  unit: string;
  /** The target as a human reads it, e.g. "≤ 300 ms". */
  target: string;
  /** Whether the measured figure meets the target. */
  pass: boolean;
  /** The scenario, and the numbers behind the figure. */
  note?: string;
}

export interface BenchContext {
  /** A progress line on stderr (the table goes to stdout). */
  log(message: string): void;
  /**
   * One fixture shared by several cases (e.g. the 20,000-file workspace), created on
   * first use and disposed of when the whole bench ends.
   */
  shared<T>(key: string, create: () => T | Promise<T>, dispose?: (value: T) => void | Promise<void>): Promise<T>;
  /** Disposed of when the bench ends, even when a case throws. */
  onCleanup(dispose: () => void | Promise<void>): void;
}

export interface BenchCase {
  /** Shown when the case fails as a whole and in progress lines. */
  title: string;
  /** Cases run in ascending order (then by file name); default 100. */
  order?: number;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
