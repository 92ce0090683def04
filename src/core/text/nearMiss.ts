/**
 * The known word a mistyped one was meant to be (`featur` → `feature`, `validte` → `validate`,
 * `--worktre` → `--worktree`): the closest by edit distance, when it is close enough to be a
 * typo rather than another word. Used by the CLI's usage errors and the config's unknown keys.
 */

/** The closest candidate, or undefined when none is within a typo's reach (about a third of the word). */
export function nearMiss(word: string, candidates: Iterable<string>): string | undefined {
  const typed = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance === 0) continue;
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const reach = Math.max(1, Math.floor(Math.max(typed.length, best.candidate.length) / 3));
  // A prefix of at least four letters is a typo too (`verif` → `verify`).
  const prefix = typed.length >= 4 && best.candidate.toLowerCase().startsWith(typed);
  return best.distance <= reach || prefix ? best.candidate : undefined;
}

/** Damerau–Levenshtein (optimal string alignment): a swap of two letters counts once. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
