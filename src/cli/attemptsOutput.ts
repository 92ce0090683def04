/** `orchestrator attempts <runId>`: each layer's attempts as a table, the one in the run marked, and why. */
import type { LayerAttempts } from '../core/engine';
import { runnerPickText } from '../core/text/runnerNames';
import { printTable } from './output';
import { out, outJson, visibleLine } from './terminal';

export function printAttempts(layers: readonly LayerAttempts[], json: boolean): void {
  if (json) {
    outJson(layers);
    return;
  }
  if (layers.length === 0) {
    out('(no layer of this run was tried in attempts)\n');
    return;
  }
  for (const [index, { layer, of, attempts, picked }] of layers.entries()) {
    out(
      `${index > 0 ? '\n' : ''}${layer}: ${attempts.filter((a) => a.state !== 'skipped').length} of ${of} attempts ran\n`,
    );
    printTable(
      false,
      attempts.map((a) => ({
        '': a.picked ? '▶' : '',
        k: String(a.k),
        runner: a.state === 'skipped' ? '—' : runnerPickText(a),
        proof: a.proofTotal !== undefined ? `${a.proofGreen}/${a.proofTotal}` : '',
        validate: a.state === 'skipped' ? 'not started' : (a.validate ?? 'running'),
        retries: a.retries !== undefined ? String(a.retries) : '',
        cost: a.costUsd !== undefined ? `$${a.costUsd.toFixed(4)}` : '',
        time: a.durationMs !== undefined ? `${(a.durationMs / 1000).toFixed(1)} s` : '',
        diff: a.diff
          ? `${a.diff.files} file${a.diff.files === 1 ? '' : 's'} +${a.diff.insertions} −${a.diff.deletions}`
          : '',
        note: a.reason ?? a.error ?? a.ref ?? '',
      })),
      ['', 'k', 'runner', 'proof', 'validate', 'retries', 'cost', 'time', 'diff', 'note'],
    );
    if (picked) out(`▶ attempt ${picked.k} is in the run: ${visibleLine(picked.why)}\n`);
  }
}
