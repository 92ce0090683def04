/** What the feature's UI test reads of a finished run: its id, and the strength the trace view shows of a measure. */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface StrengthEntry {
  type: string;
  criterion: string;
  tried: number;
  killed: number;
  survived: number;
  error?: string;
}

/** The run's id: the shop's one run folder. */
export function runIdOf(shop: string): string {
  const runs = readdirSync(join(shop, '.claude/runs')).filter((name) => /^\d{8}-\d{6}-/.test(name));
  assert.equal(runs.length, 1, runs.join(', '));
  return runs[0]!;
}

/** What the Strength cell and the first line of its tooltip say of a measure (docs/proof.md "Where strength is shown"). */
export function shownStrength(e: StrengthEntry): [string, string] {
  const judged = e.killed + e.survived;
  const stopped = e.error ? ` (${e.error.split('\n')[0]!.replace(/:$/, '')})` : '';
  if (judged === 0) return e.error ? ['not measured', `not measured${stopped}`] : ['no mutants', 'no mutants'];
  const score = `${Math.floor((e.killed / judged) * 100)}%`;
  return [score, `${score} (${e.killed}/${e.tried} mutants killed)${stopped}`];
}
