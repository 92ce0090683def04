/**
 * Mutants run a proof command each (issue 61): the built-in mutator's, and StrykerJS's when the
 * project's runner has no StrykerJS plugin (its command runner would add its own start, about two
 * seconds, to what is the same process per mutant). Up to `concurrency` workers, each in its own
 * copy, deal the mutants out in turn. A worker whose proof command is pytest's or node:test's runs
 * its mutants in one process of that runtime (./batch.ts); whatever that leaves without a verdict
 * runs a command each.
 */
import type { EngineRun } from '../engine';
import type { Mutant, MutantStatus } from '../types';
import { copyWorkTree } from '../workCopy';
import { proofInvocations } from '../../proofTests';
import { runBatch } from './batch';
import { nodeTestBatch } from './nodeTestBatch';
import { pytestBatch } from './pytestBatch';
import { runEachMutant, type ProofOutcome } from './run';

/** The time cap was reached: the mutant in hand gets no verdict (it is left out, as StrykerJS's are). */
class CapReached extends Error {}

export async function executeEachMutant(
  job: EngineRun,
  engineName: string,
  apply: (text: string, mutant: Mutant) => string,
): Promise<{ statuses: Map<string, MutantStatus>; error?: string }> {
  const statuses = new Map<string, MutantStatus>();
  const deadline = Date.now() + job.timeoutSec * 1000;
  // Aborted on the cap or when the runner throws (the run was cancelled): runEachMutant then puts
  // the file back and stops instead of marking every later mutant an error.
  const stop = new AbortController();
  const halt = (reason: unknown): never => {
    stop.abort(reason);
    throw reason;
  };
  /** Seconds left before the cap, and one proof command's limit within them. */
  const limits = () => {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) return halt(new CapReached());
    return { left, limit: Math.min(left, job.proof.timeoutSec ?? left) };
  };
  const runTests =
    (copy: string) =>
    async (files: string[]): Promise<ProofOutcome> => {
      for (const invocation of proofInvocations(job.proof, files)) {
        const { left, limit } = limits();
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
  const batch = pytestBatch(job.proof, job.tests) ?? nodeTestBatch(job.proof, job.tests);
  const worker = async (copy: string, mine: Mutant[]) => {
    let rest = mine;
    if (batch) {
      const { left, limit } = limits();
      let batched: Awaited<ReturnType<typeof runBatch>>;
      try {
        batched = await runBatch({ batch, copy, mutants: mine, apply, limit, left, run: job.run });
      } catch (error) {
        return halt(error);
      }
      for (const [id, status] of batched.statuses) statuses.set(id, status);
      if (batched.capReached) halt(new CapReached());
      rest = mine.filter((m) => !batched.statuses.has(m.id));
    }
    await runEachMutant({
      copy,
      mutants: rest,
      apply,
      testsFor: () => ({ criteria: [], files: [...job.tests] }),
      runTests: runTests(copy),
      signal: stop.signal,
      onResult: (r) => statuses.set(r.id, r.status),
    });
  };
  // A mutant is written into its file while its tests run, so two workers never share a copy.
  const workers = Math.max(1, Math.min(job.concurrency, job.mutants.length));
  const extra = await Promise.all(Array.from({ length: workers - 1 }, () => copyWorkTree(job.copy)));
  try {
    const copies = [job.copy, ...extra.map((c) => c.path)];
    const settled = await Promise.allSettled(
      copies.map((copy, i) =>
        worker(
          copy,
          job.mutants.filter((_, k) => k % workers === i),
        ),
      ),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    if (!(stop.signal.reason instanceof CapReached)) throw error;
    return {
      statuses,
      error: `${engineName} stopped at the time cap (${job.timeoutSec} s) after ${statuses.size} of ${job.mutants.length} mutants`,
    };
  } finally {
    await Promise.all(extra.map((c) => c.dispose()));
  }
  return { statuses };
}
