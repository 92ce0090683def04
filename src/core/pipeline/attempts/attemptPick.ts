/**
 * The pick (docs/attempts.md): among the attempts whose validation passed, the one with the most
 * proof tests green, then the fewest retries, the lowest cost, the earliest finish; ties go to the
 * lowest k. An attempt that failed its validation is never kept: it would bring failing checks
 * into the run. `why` says what separated the kept one from the runner-up.
 */
import type { DiffStat } from '../../events';

export interface JudgedAttempt {
  k: number;
  runner: string;
  model?: string;
  proofGreen: number;
  proofTotal: number;
  validate: 'passed' | 'failed';
  retries: number;
  costUsd: number;
  durationMs: number;
  /** When it finished (ms since the epoch): the earliest finish wins the last tie. */
  finishedAt: number;
  ref?: string;
  diff?: DiffStat;
  error?: string;
}

interface Criterion {
  compare(a: JudgedAttempt, b: JudgedAttempt): number;
  why(kept: JudgedAttempt, next: JudgedAttempt): string;
}

const money = (usd: number): string => `$${usd.toFixed(usd < 0.1 ? 4 : 2)}`;

const ORDER: readonly Criterion[] = [
  {
    compare: (a, b) => b.proofGreen - a.proofGreen,
    why: (a, b) =>
      `most proof tests green (${a.proofGreen}/${a.proofTotal}, attempt ${b.k}: ${b.proofGreen}/${b.proofTotal})`,
  },
  {
    compare: (a, b) => a.retries - b.retries,
    why: (a, b) => `fewest retries (${a.retries}, attempt ${b.k}: ${b.retries})`,
  },
  {
    compare: (a, b) => a.costUsd - b.costUsd,
    why: (a, b) => `lowest cost (${money(a.costUsd)}, attempt ${b.k}: ${money(b.costUsd)})`,
  },
  { compare: (a, b) => a.finishedAt - b.finishedAt, why: (_a, b) => `earliest finish (attempt ${b.k} finished later)` },
  { compare: (a, b) => a.k - b.k, why: (_a, b) => `as good as attempt ${b.k} in every way, and the lower number` },
];

export function rankAttempts(judged: readonly JudgedAttempt[]): JudgedAttempt[] {
  return judged
    .filter((a) => a.validate === 'passed')
    .sort((a, b) => {
      for (const criterion of ORDER) {
        const order = criterion.compare(a, b);
        if (order !== 0) return order;
      }
      return 0;
    });
}

/** The attempt to keep and why; undefined when none passed its validation. */
export function pickAttempt(judged: readonly JudgedAttempt[]): { k: number; why: string } | undefined {
  const [kept, next] = rankAttempts(judged);
  if (!kept) return undefined;
  const failed = judged.filter((a) => a.validate === 'failed').map((a) => a.k);
  const failedWords =
    failed.length > 0 ? `; attempt${failed.length > 1 ? 's' : ''} ${failed.join(', ')} failed validation` : '';
  if (!next)
    return {
      k: kept.k,
      why: `${judged.length === 1 ? 'the only attempt' : 'the only one that passed validation'}${failedWords}`,
    };
  const deciding = ORDER.find((criterion) => criterion.compare(kept, next) !== 0) ?? ORDER.at(-1)!;
  return { k: kept.k, why: `${deciding.why(kept, next)}${failedWords}` };
}
