/**
 * `runners stats [--layer L] [--since D] [--pool] [--json]` (issue 47, docs/runners.md "The
 * record"): per layer, runner and model, how its agents did in this repository: runs, passed at
 * once (first-try validation with every proof test green: what `runner: auto` ranks by), first
 * try, mean retries, proof tests green, approved by review, mean cost and time. `--pool`: the
 * team's record in the pool's database. JSON: the rows with their rates as fractions.
 */
import { engine } from '../core/engineBundle';
import type * as PoolBundle from '../pool/index';
import { sinceDate, type CliArgs } from './args';
import { runnerPickText } from '../core/text/runnerNames';
import { rateText, timeText } from '../shared/recordText';
import { printTable } from './output';
import { err } from './terminal';

export async function runnersStatsCommand(workspace: string, args: CliArgs): Promise<void> {
  const filter = {
    ...(args.layer !== undefined ? { layer: args.layer } : {}),
    ...(args.since !== undefined ? { since: sinceDate(args.since) } : {}),
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pool = args.pool ? (require('../pool/index') as typeof PoolBundle) : undefined;
  const rows = pool ? await pool.poolRunnersStats(workspace, filter) : await engine.runnersStats(workspace, filter);
  if (args.json) return printTable(true, rows, []);
  printTable(
    false,
    rows.map((row) => ({
      layer: row.layer,
      runs: String(row.runs),
      'at once': rateText(row.passRate),
      'first try': rateText(row.firstTryRate),
      retries: row.meanRetries.toFixed(1),
      proof: rateText(row.proofGreenRate),
      approved: rateText(row.approvedRate),
      cost: `$${row.meanCostUsd.toFixed(2)}`,
      time: timeText(row.meanDurationMs),
      // Last: never cut, however long the model's name.
      runner: runnerPickText(row),
    })),
    ['layer', 'runs', 'at once', 'first try', 'retries', 'proof', 'approved', 'cost', 'time', 'runner'],
  );
  if (rows.length === 0)
    err(
      `no outcome recorded${args.layer ? ` for layer ${args.layer}` : ''}${args.since ? ` since ${args.since}` : ''}: each run that ends adds its layers (docs/runners.md)\n`,
    );
}
