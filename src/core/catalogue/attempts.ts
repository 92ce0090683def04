/** Attempts (docs/attempts.md): several tries at one layer, each in its own worktree, one kept by its evidence. */
import { nothing } from './meaning';
import { oneLine, type Entries } from './words';

const on = (runner: string, model: string | undefined): string => (model ? `${runner}:${model}` : runner);

export const attemptEntries = {
  'attempt.started': {
    state: nothing,
    words: (e) => ({ level: 'info', depth: 1, text: `${e.layer}: attempt ${e.k}/${e.of} on ${on(e.runner, e.model)}` }),
  },
  'attempt.judged': {
    state: nothing,
    words: (e) => ({
      level: e.validate === 'passed' ? 'info' : 'warn',
      depth: 1,
      text: oneLine(
        `${e.validate === 'passed' ? '✓' : '✗'} ${e.layer} attempt ${e.k}: proof ${e.proofGreen}/${e.proofTotal}, validate ${e.validate}, ${e.retries} retr${e.retries === 1 ? 'y' : 'ies'}, $${e.costUsd.toFixed(2)}, ${(e.durationMs / 1000).toFixed(1)} s${e.error ? ` — ${e.error}` : ''}`,
      ),
    }),
  },
  'attempt.picked': {
    state: nothing,
    words: (e) => ({ level: 'info', depth: 1, text: oneLine(`${e.layer}: attempt ${e.k} kept — ${e.why}`) }),
  },
  'attempt.skipped': {
    state: nothing,
    words: (e) => ({ level: 'warn', depth: 1, text: oneLine(`${e.layer}: attempt ${e.k} not started — ${e.reason}`) }),
  },
} satisfies Entries;
