// The built-in mutator as a mutation engine (issue 61): the files of the languages it reads (not
// JavaScript or TypeScript, StrykerJS's), their changed lines' mutants, each run by the project's
// own proof command on the criterion's test files, through the caller's runner (the sandbox), up
// to `concurrency` at once, each worker in its own copy. The exit code is the verdict: 0, the
// mutant survived; any other, the tests caught it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { proofInvocations } from '../../proofTests';
import type { EngineRun, MutationEngine } from '../engine';
import { copyWorkTree } from '../workCopy';
import type { ChangedLines, Mutant, MutantStatus } from '../types';
import { languageOf } from './languages';
import { builtinMutants } from './mutants';
import { runBuiltinMutants, type ProofOutcome } from './run';

/** The time cap was reached: the mutant in hand gets no verdict (it is left out, as StrykerJS's are). */
class CapReached extends Error {}

export const builtinEngine: MutationEngine = {
  name: 'built-in mutator',
  handles: (path) => languageOf(path) !== undefined,
  async list(root: string, changed: readonly ChangedLines[]): Promise<Mutant[]> {
    const out: Mutant[] = [];
    for (const c of changed) {
      // A file the run deleted has no lines to mutate.
      const text = await readFile(join(root, c.path), 'utf8').catch(() => undefined);
      if (text !== undefined) out.push(...builtinMutants({ path: c.path, text, changed: c }));
    }
    return out;
  },
  async execute(job: EngineRun) {
    const statuses = new Map<string, MutantStatus>();
    const deadline = Date.now() + job.timeoutSec * 1000;
    // Aborted on the cap or when the runner throws (the run was cancelled): runBuiltinMutants
    // then puts the file back and stops instead of marking every later mutant an error.
    const stop = new AbortController();
    const runTests =
      (copy: string) =>
      async (files: string[]): Promise<ProofOutcome> => {
        for (const invocation of proofInvocations(job.proof, files)) {
          const left = Math.ceil((deadline - Date.now()) / 1000);
          if (left <= 0) return halt(new CapReached());
          const limit = Math.min(left, job.proof.timeoutSec ?? left);
          let result: Awaited<ReturnType<EngineRun['run']>>;
          try {
            result = await job.run(invocation.command, { cwd: copy, timeoutSec: limit, readOnly: [] });
          } catch (error) {
            return halt(error);
          }
          // Past the proof command's own limit is the mutant's doing (an endless loop); the cap's is not.
          if (result.timedOut) return limit < left ? 'timeout' : halt(new CapReached());
          if (result.exitCode === null) return 'error';
          if (result.exitCode !== 0) return 'failed';
        }
        return 'passed';
      };
    const halt = (reason: unknown): never => {
      stop.abort(reason);
      throw reason;
    };
    // Within limits.concurrency, each further worker in its own copy of the copy: a mutant is written
    // into its file while its tests run, so two never share one. Mutants are dealt out in turn.
    const workers = Math.max(1, Math.min(job.concurrency, job.mutants.length));
    const extra = await Promise.all(Array.from({ length: workers - 1 }, () => copyWorkTree(job.copy)));
    const testsFor = () => ({ criteria: [], files: [...job.tests] });
    const run = (copy: string, i: number) => {
      const mine = job.mutants.filter((_, k) => k % workers === i);
      return runBuiltinMutants({
        copy,
        mutants: mine,
        testsFor,
        runTests: runTests(copy),
        signal: stop.signal,
        onResult: (r) => statuses.set(r.id, r.status),
      });
    };
    try {
      const settled = await Promise.allSettled([job.copy, ...extra.map((c) => c.path)].map(run));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      if (!(stop.signal.reason instanceof CapReached)) throw error;
      return {
        statuses,
        error: `the built-in mutator stopped at the time cap (${job.timeoutSec} s) after ${statuses.size} of ${job.mutants.length} mutants`,
      };
    } finally {
      await Promise.all(extra.map((c) => c.dispose()));
    }
    return { statuses };
  },
};
