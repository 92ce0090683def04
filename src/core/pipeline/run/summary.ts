/**
 * The run summary (api.ts RunSummary, the CLI's --json), built from the journal alone:
 * phase timings, tokens by kind, cost in total and by agent, files changed, validation
 * retries per layer and review rounds.
 */
import type { ModelSpend, RunStatus, RunSummary } from '../../api';
import { type AgentCost, costByAgent, filesChanged, retriesByLayer, type RunState } from '../../journal';
import { SPEC_ACTIVE_DIR } from '../../project/sources';
import type { PipelineFacts } from '../kernel';

export function buildSummary(
  runId: string,
  state: RunState,
  facts: PipelineFacts,
  status: RunStatus,
  extra: { error?: string; report?: string } = {},
): RunSummary {
  const specPath =
    facts.completedSpecPath ??
    state.specPath ??
    (facts.specId ? `${SPEC_ACTIVE_DIR}/${facts.specId}/spec.md` : undefined);
  return {
    runId,
    status,
    ...(specPath ? { specPath } : {}),
    phases: state.phases.map((p) => ({ name: p.name, ms: p.ms })),
    usage: { ...state.usage },
    costUsd: roundUsd(state.costUsd),
    costByAgent: Object.fromEntries(Object.entries(costByAgent(state)).map(([agent, usd]) => [agent, roundUsd(usd)])),
    requests: state.requests,
    unpricedRequests: state.unpricedRequests,
    byAgent: Object.fromEntries(
      Object.entries(state.byAgent).map(([agent, a]) => [
        agent,
        { ...spendOf(a), provider: a.provider ?? 'anthropic' },
      ]),
    ),
    byProvider: Object.fromEntries(Object.entries(state.byProvider).map(([provider, p]) => [provider, spendOf(p)])),
    filesChanged: filesChanged(state),
    retries: retriesByLayer(state),
    reviewRounds: state.review.rounds,
    ...(state.unchecked
      ? { unchecked: state.unchecked.layers, ...(state.unchecked.accepted ? { uncheckedAccepted: true as const } : {}) }
      : {}),
    ...(extra.error ? { error: extra.error } : {}),
    ...(extra.report ? { report: extra.report } : {}),
  };
}

const spendOf = (cost: AgentCost): ModelSpend => ({
  costUsd: roundUsd(cost.costUsd),
  requests: cost.requests,
  unpricedRequests: cost.unpricedRequests,
});

/** Sub-micro-dollar float noise is not worth printing. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
