/**
 * `orchestrator queue <branch>… | --pool [--onto main]` (issue 74, docs/merge-queue.md): our merge
 * queue, of named branches or of the pool's completed runs' result branches.
 * Each batch is said as it ends (stderr), the whole on stdout (JSON with --json); exit 1 when a
 * branch was set aside. Branch names come from the user: shown escaped, never raw.
 */
import type { QueueReport, QueueRound } from '../core/drift';
import { engine, goesToPool } from '../core/engineBundle';
import { type CliArgs, UsageError } from './args';
import { pooledQueueBranches } from './poolCommands';
import { out, outJson, visibleLine } from './terminal';

export async function queueCommand(
  workspace: string,
  args: CliArgs,
  signal: AbortSignal,
  progress: (line: string) => void,
): Promise<number> {
  const named = args.branches ?? [];
  if (named.length === 0 && !(await goesToPool(workspace, args)))
    throw new UsageError(
      "queue needs the branches to merge: queue <branch>…, or --pool (the default with runs.dispatch: pool): the pool's completed runs",
      'queue',
    );
  const pooled = named.length === 0 ? await pooledQueueBranches(workspace) : undefined;
  pooled?.missing.forEach((m) => progress(visibleLine(`left out: ${m.branch}, not on the remote (${m.why})`)));
  if (pooled && pooled.branches.length === 0) {
    out("nothing to merge: the pool has no completed run's branch\n");
    return pooled.missing.length > 0 ? 1 : 0;
  }
  const report = await engine.mergeBatches(workspace, {
    target: args.onto ?? 'main',
    branches: pooled?.branches ?? named,
    ...(pooled ? { refs: pooled.refs } : {}),
    trusted: true,
    signal,
    onCommand: (command) => progress(`running ${command}`),
    onBatch: (round) => progress(batchLine(round)),
  });
  if (args.json) outJson(report);
  else out(`${textOf(report).map(visibleLine).join('\n')}\n`);
  const missing = pooled?.missing.length ?? 0;
  return report.culprits.length + report.conflicts.length + report.unresolved.length + missing > 0 ? 1 : 0;
}

function batchLine(round: QueueRound): string {
  const culprit = round.culprit
    ? `; culprit ${round.culprit.branch} (${round.culprit.criteria.join(', ')}), set aside`
    : '';
  return `batch of ${round.batch.length}: ${round.outcome} in ${round.rounds} round${round.rounds === 1 ? '' : 's'}${culprit}; merged ${round.merged.join(', ') || 'nothing'}`;
}

function textOf(report: QueueReport): string[] {
  return [
    `${report.target}: ${report.from.slice(0, 12)} → ${report.to.slice(0, 12)}`,
    ...report.batches.map((round) => `  ${batchLine(round)}`),
    `merged: ${report.merged.join(', ') || 'nothing'}`,
    ...report.culprits.map((c) => `set aside: ${c.branch} turned red ${c.criteria.join(', ')}`),
    ...report.conflicts.map((branch) => `left out: ${branch} does not merge cleanly on ${report.target}`),
    ...(report.alreadyMerged.length > 0 ? [`already on ${report.target}: ${report.alreadyMerged.join(', ')}`] : []),
    ...(report.unresolved.length > 0
      ? [`not merged: ${report.unresolved.join(', ')} (a red batch whose culprit could not be told)`]
      : []),
  ];
}
