/**
 * Our own merge queue (issue 74, docs/merge-queue.md), where GitHub's is not used: approved runs'
 * branches merged in batches on top of the target (main). A batch is the branches merged one after
 * the other in a worktree of the target (a merge commit each); its proofs run once on its head
 * (`verify --affected target..head`: the completed specs it touches, the batch's own among them).
 * Green, the target moves to the head. Red, each red criterion is bisected over the batch's merge
 * commits to the first red one (⌈log₂ N⌉ rounds for N branches): that branch is the culprit, set
 * aside; the branches before it merge (green there), those after it make the next batch, on the
 * new target. The target is taken as green (the queue only ever moves it to a proven batch; main's
 * own drift is the sweep's): its proofs are not run again.
 */
import { resolve } from 'node:path';
import { EngineUsageError } from '../errors';
import { advanceBranch, commitOf, hostCheckout, mergeLine, topLevelOf } from '../git';
import { loadConfig } from '../project/config';
import { verifySpecs } from './verifyCommand';

export interface QueueRound {
  /** The branches of the batch, in order. */
  batch: string[];
  /** Proof runs this batch took: its head's, then one per commit its bisection probed. */
  rounds: number;
  outcome: 'green' | 'red';
  /** Red: the branch whose merge turned it red, and the criteria it broke (`specId REQ-x.y`). */
  culprit?: { branch: string; criteria: string[] };
  /** The branches of it merged on the target. */
  merged: string[];
}

export interface QueueReport {
  target: string;
  /** The target's commit before and after. */
  from: string;
  to: string;
  batches: QueueRound[];
  merged: string[];
  culprits: { branch: string; criteria: string[] }[];
  /** Branches that do not merge cleanly on the target: left out. */
  conflicts: string[];
  /** Branches the target holds already (merged before): nothing to do. */
  alreadyMerged: string[];
  /** Red batches whose culprit could not be told (a criterion red at no probed commit): nothing of them merged. */
  unresolved: string[];
}

export interface QueueOptions {
  target: string;
  branches: readonly string[];
  /** A branch's ref when it is not `refs/heads/<name>` (a pooled run's result, fetched under a ref of ours). */
  refs?: ReadonlyMap<string, string>;
  trusted: boolean;
  signal?: AbortSignal;
  onCommand?: (command: string) => void;
  onBatch?: (round: QueueRound) => void;
}

export async function mergeInBatches(workspace: string, options: QueueOptions): Promise<QueueReport> {
  const root = resolve(workspace);
  if (!options.trusted) throw new EngineUsageError('the queue runs proofs: only in a trusted workspace');
  if (options.branches.length === 0) throw new EngineUsageError('name the branches to merge');
  const topLevel = await topLevelOf(root);
  const config = await loadConfig(root);
  const resolveRef = async (name: string) =>
    commitOf(root, options.refs?.get(name) ?? `refs/heads/${name}`).catch(() => {
      throw new EngineUsageError(`${JSON.stringify(name)} is no branch of the repository`);
    });
  let base = await resolveRef(options.target);
  let queue = await Promise.all(options.branches.map(async (name) => ({ name, commit: await resolveRef(name) })));
  const report: QueueReport = {
    target: options.target,
    from: base,
    to: base,
    batches: [],
    merged: [],
    culprits: [],
    conflicts: [],
    alreadyMerged: [],
    unresolved: [],
  };
  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    const tree = await hostCheckout.worktreeAt(root, base, config.worktree.link);
    try {
      const line = await mergeLine(tree.dir, queue);
      report.conflicts.push(...line.conflicts);
      report.alreadyMerged.push(...line.contained);
      if (line.merged.length === 0) break;
      const head = line.merged.at(-1)!.commit;
      const proof = await verifySpecs(tree.dir, [], {
        trusted: true,
        affected: `${base}..${head}`,
        culprits: true,
        trustBase: true,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onCommand ? { onCommand: options.onCommand } : {}),
      });
      const round: QueueRound = {
        batch: line.merged.map((b) => b.name),
        rounds: 1 + (proof.sweep?.commitsProbed ?? 0),
        outcome: proof.exitCode === 0 ? 'green' : 'red',
        merged: [],
      };
      report.batches.push(round);
      // Green: every branch merges; red: those before the culprit (green there), the culprit set aside.
      const clean = proof.exitCode === 0 ? line.merged.length : culpritAt(proof, line.merged);
      if (clean < 0) {
        report.unresolved.push(...round.batch);
        options.onBatch?.(round);
        break;
      }
      const culprit = line.merged[clean];
      if (culprit) {
        round.culprit = { branch: culprit.name, criteria: redCriteria(proof, culprit.commit) };
        report.culprits.push(round.culprit);
      }
      if (clean > 0) {
        const to = line.merged[clean - 1]!.commit;
        await advanceBranch(topLevel, options.target, base, to);
        base = report.to = to;
        round.merged = line.merged.slice(0, clean).map((b) => b.name);
        report.merged.push(...round.merged);
      }
      options.onBatch?.(round);
      // Those after the culprit make the next batch, on the new target.
      const next = new Set(line.merged.slice(clean + 1).map((b) => b.name));
      queue = queue.filter((b) => next.has(b.name));
    } finally {
      await tree.remove();
    }
  }
  return report;
}

type Proof = Awaited<ReturnType<typeof verifySpecs>>;

/** The index in the batch of the earliest first red commit of its red criteria; -1 when none was found. */
function culpritAt(proof: Proof, line: readonly { commit: string }[]): number {
  const firsts = (proof.sweep?.specs ?? []).flatMap((s) =>
    s.criteria.filter((c) => c.now === 'failing' && c.bisect?.firstRed).map((c) => c.bisect!.firstRed!),
  );
  const at = firsts.map((commit) => line.findIndex((b) => b.commit === commit)).filter((i) => i >= 0);
  return at.length > 0 ? Math.min(...at) : -1;
}

function redCriteria(proof: Proof, commit: string): string[] {
  return (proof.sweep?.specs ?? []).flatMap((s) =>
    s.criteria.filter((c) => c.bisect?.firstRed === commit).map((c) => `${s.specId} ${c.criterion}`),
  );
}
