/**
 * The run summary (api.ts RunSummary, the CLI's --json), built from the journal alone:
 * phase timings, tokens by kind, cost in total and by agent, files changed, validation
 * retries per layer and review rounds.
 */
import type { RunStatus, RunSummary } from '../../api';
import { costByAgent, filesChanged, retriesByLayer, type RunState } from '../../journal/state';
import { SPEC_ACTIVE_DIR } from '../../project/files';
import type { PipelineFacts } from './facts';

export function buildSummary(
  runId: string,
  state: RunState,
  facts: PipelineFacts,
  status: RunStatus,
  extra: { error?: string; report?: string } = {},
): RunSummary {
  const specPath = facts.completedSpecPath ?? state.specPath ?? (facts.specId ? `${SPEC_ACTIVE_DIR}/${facts.specId}/spec.md` : undefined);
  return {
    runId,
    status,
    ...(specPath ? { specPath } : {}),
    phases: state.phases.map((p) => ({ name: p.name, ms: p.ms })),
    usage: { ...state.usage },
    costUsd: roundUsd(state.costUsd),
    costByAgent: Object.fromEntries(Object.entries(costByAgent(state)).map(([agent, usd]) => [agent, roundUsd(usd)])),
    filesChanged: filesChanged(state),
    retries: retriesByLayer(state),
    reviewRounds: state.review.rounds,
    ...(extra.error ? { error: extra.error } : {}),
    ...(extra.report ? { report: extra.report } : {}),
  };
}

/** Sub-micro-dollar float noise is not worth printing. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
