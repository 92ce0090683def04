/**
 * What one attempt changed (docs/attempts.md): each file's unified diff from the attempts' base
 * (`…/<layer>/base`) to the attempt's own commit (`…/<layer>/<k>`), as the sidebar shows it beside
 * the attempt's figures. Read from the refs alone: the attempt's worktree is gone by then.
 */
import { diffBetween, type FileDiff, resolveCommit } from '../../git';
import { EngineUsageError } from '../../errors';
import { attemptRef } from './attemptPlace';
import type { LayerAttempts } from './attemptsOfRun';

export interface AttemptDiff {
  layer: string;
  k: number;
  /** The refs compared: the attempts' base, the attempt. */
  base: string;
  ref: string;
  files: FileDiff[];
}

/** `layers`: the run's attempts (attemptsOfRun), which say whether attempt `k` was judged and so kept on its ref. */
export async function attemptDiff(
  workspace: string,
  runId: string,
  layers: readonly LayerAttempts[],
  layer: string,
  k: number,
): Promise<AttemptDiff> {
  const tried = layers.find((l) => l.layer === layer);
  const attempt = tried?.attempts.find((a) => a.k === k);
  if (!tried)
    throw new EngineUsageError(
      `Run ${runId} tried ${layers.length > 0 ? `only ${layers.map((l) => l.layer).join(', ')}` : 'no layer'} in attempts; ${layer} has none.`,
    );
  if (!attempt)
    throw new EngineUsageError(
      `${layer} had attempts ${tried.attempts.map((a) => a.k).join(', ')} in run ${runId}; there is no attempt ${k}.`,
    );
  if (attempt.state !== 'judged')
    throw new EngineUsageError(
      `${layer}'s attempt ${k} ${attempt.state === 'skipped' ? 'never started' : 'is still running'}: it has no diff yet.`,
    );
  const base = attemptRef(runId, layer, 'base');
  const ref = attemptRef(runId, layer, k);
  const [from, to] = await Promise.all([resolveCommit(workspace, base), resolveCommit(workspace, ref)]);
  if (!from || !to)
    throw new EngineUsageError(
      `${layer}'s attempt ${k} is no longer kept: \`${from ? ref : base}\` is gone (\`orchestrator gc\` prunes a run's attempts with its checkpoints).`,
    );
  return { layer, k, base, ref, files: await diffBetween(workspace, from, to) };
}
