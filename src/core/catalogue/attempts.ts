/** Attempts (docs/attempts.md): several tries at one layer, each in its own worktree, one kept by its evidence. */
import { runnerPickText } from '../text/runnerNames';
import { oneLine, type Entries } from './words';

export const attemptEntries = {
  'attempt.started': {
    state: ({ layer, k, of, runner, model }) => ({
      attempt: { step: 'started', layer, k, of, runner, ...(model ? { model } : {}) },
    }),
    words: (e) => ({ level: 'info', depth: 1, text: `${e.layer}: attempt ${e.k}/${e.of} on ${runnerPickText(e)}` }),
  },
  'attempt.judged': {
    state: (e) => ({
      attempt: {
        step: 'judged',
        layer: e.layer,
        k: e.k,
        proofGreen: e.proofGreen,
        proofTotal: e.proofTotal,
        validate: e.validate,
        retries: e.retries,
        costUsd: e.costUsd,
        durationMs: e.durationMs,
        ...(e.ref ? { ref: e.ref } : {}),
        ...(e.diff ? { diff: e.diff } : {}),
        ...(e.error ? { error: e.error } : {}),
      },
    }),
    words: (e) => ({
      level: e.validate === 'passed' ? 'info' : 'warn',
      depth: 1,
      text: oneLine(
        `${e.validate === 'passed' ? '✓' : '✗'} ${e.layer} attempt ${e.k}: proof ${e.proofGreen}/${e.proofTotal}, validate ${e.validate}, ${e.retries} retr${e.retries === 1 ? 'y' : 'ies'}, $${e.costUsd.toFixed(2)}, ${(e.durationMs / 1000).toFixed(1)} s${e.error ? ` — ${e.error}` : ''}`,
      ),
    }),
  },
  'attempt.picked': {
    state: ({ layer, k, why, by }) => ({ attempt: { step: 'picked', layer, k, why, by } }),
    words: (e) => ({ level: 'info', depth: 1, text: oneLine(`${e.layer}: attempt ${e.k} kept — ${e.why}`) }),
  },
  'attempt.skipped': {
    state: ({ layer, k, reason }) => ({ attempt: { step: 'skipped', layer, k, reason } }),
    words: (e) => ({ level: 'warn', depth: 1, text: oneLine(`${e.layer}: attempt ${e.k} not started — ${e.reason}`) }),
  },
} satisfies Entries;
