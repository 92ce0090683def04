/**
 * What the run settings (`orchestrator.runner`, `orchestrator.attempts`) may say, and which runs
 * take them: the CLI's `--runner` and `--attempts`, checked the same way. No `vscode` here, so the
 * unit tests hold these rules against package.json's settings.
 */
import { LAYER_RUNNERS, type LayerRunner, MAX_ATTEMPTS } from '../../core/text/runnerNames';
import type { RunChoices } from '../../core/api';
import type { RunKind } from '../view/actions';

/** `orchestrator.runner`: what `--runner` takes, `external` (every layer a task of the MCP queue) and `auto` included. */
export const runnerSetting = (value: unknown): LayerRunner | undefined => LAYER_RUNNERS.find((name) => name === value);

/** `orchestrator.attempts`: 1 to MAX_ATTEMPTS, as `--attempts`; anything else (empty included) leaves the config's. */
export const attemptsSetting = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ATTEMPTS ? value : undefined;

/**
 * The runs that take the attempts setting, as `--attempts` goes with feature, bugfix and approve:
 * a resumed run keeps the number it started with (its journal); an audit has none.
 */
const ATTEMPTS_KINDS: readonly RunKind[] = ['feature', 'bugfix', 'approve'];

/** The settings' part of a run's choices (src/core/runChoices.ts; a pooled run's too): the runner for every run, the attempts for those that start one. */
export function runSettings(
  settings: { runner?: LayerRunner; attempts?: number },
  kind: RunKind,
): Pick<RunChoices, 'runner' | 'attempts'> {
  return {
    ...(settings.runner ? { runner: settings.runner } : {}),
    ...(settings.attempts !== undefined && ATTEMPTS_KINDS.includes(kind) ? { attempts: settings.attempts } : {}),
  };
}
