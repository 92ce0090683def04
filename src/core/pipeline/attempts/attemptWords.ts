/**
 * One line per layer tried in attempts, as the portal's run page and the pull request body say it:
 * how many ran and why the one in the run was kept (`backend: 3 attempts, kept 2 — fewest retries
 * (0, attempt 1: 1)`). Plain text: each host escapes it for where it goes.
 */
import type { LayerAttempts } from './attemptsOfRun';

/** A journal's words are bounded here: a line stays a line. */
const WHY_CHARS = 300;

export function attemptsLine({ layer, of, attempts, picked }: LayerAttempts): string {
  const ran = attempts.filter((a) => a.state !== 'skipped').length;
  const count = ran === of ? `${of} attempt${of === 1 ? '' : 's'}` : `${ran} of ${of} attempts ran`;
  return `${layer}: ${count}, ${outcome(attempts, picked)}`.replace(/\s+/g, ' ');
}

function outcome(attempts: LayerAttempts['attempts'], picked: LayerAttempts['picked']): string {
  if (picked) {
    const why = picked.why.length > WHY_CHARS ? `${picked.why.slice(0, WHY_CHARS - 1)}…` : picked.why;
    return `kept ${picked.k} — ${why}`;
  }
  if (attempts.some((a) => a.state === 'running')) return 'running';
  return attempts.some((a) => a.validate === 'passed') ? 'none kept yet' : 'none passed its validation';
}
