/**
 * Which runner does an agent's work (docs/runners.md): for a layer, the run's
 * `--runner` (journaled on run.started, so a resumed run keeps it), else `layers.<name>.runner`;
 * for spec, review, diagnose and audit, `runners.<role>`; `agent` when nothing says otherwise.
 */
import type { StateEvent } from '../journal';
import type { OrchestratorConfig } from '../project/config';
import { RUNNER_ROLES, type LayerRunner, type RunnerName, type RunnerRole } from './names';

/** `auto` for a layer: its runner is chosen when its work starts (pipeline/agent/autoPick.ts). */
export function runnerNameFor(
  config: OrchestratorConfig,
  agent: string,
  runRunner: LayerRunner | undefined,
): LayerRunner {
  if (Object.hasOwn(config.layers, agent)) return runRunner ?? config.layers[agent]!.runner ?? 'agent';
  if ((RUNNER_ROLES as readonly string[]).includes(agent)) return config.runners[agent as RunnerRole] ?? 'agent';
  return 'agent';
}

/** What of a workflow decides a runner: a phase's role in its full form with its own `runner:` (issue 29). */
export interface RoleRunners {
  phases: readonly { role?: string | { agent: string; runner?: string } }[];
}

/** The runner of `agent` in a run following `workflow`: a role's own `runner:` wins for that agent, else runnerNameFor. */
export function agentRunnerName(
  config: OrchestratorConfig,
  agent: string,
  runRunner: LayerRunner | undefined,
  workflow: RoleRunners | undefined,
): LayerRunner {
  for (const phase of workflow?.phases ?? []) {
    if (typeof phase.role === 'object' && phase.role.agent === agent && phase.role.runner)
      return phase.role.runner as RunnerName;
  }
  return runnerNameFor(config, agent, runRunner);
}

/** The run's `--runner`: this session's option, else the one the run was started with. */
export function runRunnerOf(option: LayerRunner | undefined, events: readonly StateEvent[]): LayerRunner | undefined {
  if (option) return option;
  const started = events.find((e) => e.type === 'run.started' && e.runner !== undefined);
  return started?.type === 'run.started' ? (started.runner as LayerRunner) : undefined;
}
