/** The config's limits a host may set over .claude/orchestrator.yaml (`--max-budget`, the editor's `orchestrator.limits.*`): the run choices' `overrides.limits` (runChoices.ts). */
export const OVERRIDABLE_LIMITS = [
  'maxBudgetUsd',
  'maxRetries',
  'maxReviewRetries',
  'maxAgentTurns',
  'concurrency',
  'commandTimeoutSec',
  'apiRetryWindowSec',
  'maxBlocks',
  'maxRequests',
  'concurrentRuns',
] as const;

export type OverridableLimit = (typeof OVERRIDABLE_LIMITS)[number];
