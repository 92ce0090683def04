// A worker's mutants run one after another in its copy of the work tree, a proof command each: each
// applied to its file, the proof tests run, the file put back byte for byte. Nothing outside the copy
// is written; how many copies run at once, and how the proof command runs (the sandbox, the meter),
// is the caller's.
import { readFile, realpath, stat, utimes, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Mutant, MutantResult, MutantStatus } from '../types';

/** How the proof tests ended on a mutant: they passed (it survived), failed (killed), ran out of time, or could not run. */
export type ProofOutcome = 'passed' | 'failed' | 'timeout' | 'error';

export interface MutantsRun {
  /** The copy of the work tree the mutants are applied in. */
  copy: string;
  mutants: Mutant[];
  /** The file's text with the mutant's change made (throws when the text there is not its original). */
  apply(text: string, mutant: Mutant): string;
  /** The proof tests a mutant runs: the criteria whose tasks touched its file, and their test files (relative to the copy). */
  testsFor(mutant: Mutant): { criteria: string[]; files: string[] };
  /** Runs the proof command on these test files in the copy. */
  runTests(files: string[], signal?: AbortSignal): Promise<ProofOutcome>;
  /** Stops before the next mutant (and is passed to `runTests`); the file in hand is put back first. */
  signal?: AbortSignal;
  /** Each result as soon as it is known (to journal it). */
  onResult?(result: MutantResult): void;
}

const STATUS: Record<ProofOutcome, MutantStatus> = {
  passed: 'survived',
  failed: 'killed',
  timeout: 'timeout',
  error: 'error',
};

/** The mutant's file inside the copy; refuses a path (or a link) that leads out of it. */
async function fileInCopy(copy: string, path: string): Promise<string> {
  const root = await realpath(copy);
  const file = await realpath(resolve(root, path));
  const inside = relative(root, file);
  if (!inside || inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`mutant file ${path} is outside the copy`);
  return file;
}

/**
 * Modification times for the writes, each a second past the last and past the file's own: a cache
 * keyed by a file's size and mtime in seconds (Python's .pyc, cargo, make) would otherwise take a
 * mutant written within the same second as the file it replaces (`+` for `-` keeps the size), or the
 * restored file as older than what was built from the mutant.
 */
type Stamp = (file: string, previousMs: number) => Promise<void>;
function clock(): Stamp {
  let last = 0;
  return async (file, previousMs) => {
    last = Math.max(Math.floor(Date.now() / 1000), last + 1, Math.floor(previousMs / 1000) + 1);
    await utimes(file, last, last);
  };
}

async function write(file: string, content: string | Buffer, stamp: Stamp): Promise<void> {
  const { mtimeMs } = await stat(file);
  await writeFile(file, content);
  await stamp(file, mtimeMs);
}

async function runOne(run: MutantsRun, mutant: Mutant, stamp: Stamp): Promise<MutantResult> {
  const { criteria, files } = run.testsFor(mutant);
  // No proof test reaches this code: nothing would catch the mutant.
  if (files.length === 0) return { ...mutant, status: 'survived', criteria };
  let file: string;
  let original: Buffer;
  let mutated: string;
  try {
    file = await fileInCopy(run.copy, mutant.path);
    original = await readFile(file);
    mutated = run.apply(original.toString('utf8'), mutant);
  } catch {
    return { ...mutant, status: 'error', criteria };
  }
  await write(file, mutated, stamp);
  try {
    return { ...mutant, status: STATUS[await run.runTests(files, run.signal)], criteria };
  } catch (error) {
    if (run.signal?.aborted) throw error;
    return { ...mutant, status: 'error', criteria };
  } finally {
    await write(file, original, stamp);
  }
}

/** Each mutant applied, its proof tests run and the file restored, in the order given. Rejects with the signal's reason once aborted. */
export async function runEachMutant(run: MutantsRun): Promise<MutantResult[]> {
  const results: MutantResult[] = [];
  const stamp = clock();
  for (const mutant of run.mutants) {
    run.signal?.throwIfAborted();
    const result = await runOne(run, mutant, stamp);
    results.push(result);
    run.onResult?.(result);
  }
  return results;
}
