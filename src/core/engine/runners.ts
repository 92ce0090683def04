/**
 * The contract's runners: who does each layer's work, the CLI agents and models it may use, the sandbox, their record.
 */
import { resolve } from 'node:path';
import type { AgentModelInfo, ConfigOverrides } from '../api';
import { parseModelId } from '../llm';
import { agentNames, applyOverrides } from '../pipeline/run';
import { loadConfig, modelFor, modelKeyFor } from '../project/config';
import {
  type CliAgentChoice,
  fileRecord,
  type LayerRunner,
  runnerChoices,
  type RunnerChoices,
  type RunnerRecord,
  runnerStats,
  type RunnerStatsRow,
  setRunner,
  type StatsFilter,
} from '../runners';
import { sandboxSupport } from '../sandbox';
import { query, verb } from './entry';

/** The sandbox as hosts show it (docs/cli.md: `runners --json` entries carry `{available, kind, reason?}`). */
export interface SandboxStatus {
  available: boolean;
  kind: 'bubblewrap' | 'seatbelt' | 'none';
  reason?: string;
  enforces: string[];
}

/**
 * Whether this machine can sandbox agents and commands, and what it enforces (issue 36): `runners`,
 * the sidebar. Probed once per process; `again` probes anew (the Action, after it readied a runner).
 */
async function sandboxStatus(opts: { again?: boolean } = {}): Promise<SandboxStatus> {
  const { available, kind, reason, enforces } = await sandboxSupport(opts.again);
  return { available, kind, ...(reason ? { reason } : {}), enforces: [...(enforces ?? [])] };
}

type CliAgent = CliAgentChoice & { sandbox: Omit<SandboxStatus, 'enforces'> };

export const runners = {
  /**
   * Each layer's and role's runner, the CLI agents' status and the sandbox they run in: the sidebar's runner picker
   * (issues 27, 36).
   */
  runnerChoices: query(
    async (workspace: string, opts: { trusted: boolean }): Promise<RunnerChoices & { sandbox: SandboxStatus }> => {
      const [choices, sandbox] = await Promise.all([runnerChoices(resolve(workspace), opts), sandboxStatus()]);
      return { ...choices, sandbox };
    },
  ),
  sandboxStatus: query(sandboxStatus),
  /** Sets a layer's (or a role's) runner in `.claude/orchestrator.yaml`, keeping the rest of the file as it was. */
  setRunner: verb(
    [],
    async (workspace: string, target: { layer: string } | { role: string }, runner: LayerRunner): Promise<void> =>
      setRunner(resolve(workspace), target, runner),
  ),
  /**
   * The runners' record as a table (issue 47): `runners stats`, the sidebar. `record`: where it is
   * kept (the pool's database); default this repository's file on this machine.
   */
  runnersStats: query(
    async (
      workspace: string,
      filter: StatsFilter = {},
      record: RunnerRecord = fileRecord(resolve(workspace)),
    ): Promise<RunnerStatsRow[]> =>
      runnerStats(await record.read(filter.layer !== undefined ? { layer: filter.layer } : {}), filter),
  ),
  /**
   * Which CLI agents this machine has, their versions and whether they are signed in (issue 27):
   * `orchestrator runners` and the sidebar. The config's `agentCli.<r>.command` is honoured; in an
   * untrusted workspace a command it names is located but not started.
   */
  cliAgents: query(async (workspace: string, opts: { trusted: boolean }): Promise<CliAgent[]> => {
    const [choices, { enforces: _enforces, ...sandbox }] = await Promise.all([
      runnerChoices(resolve(workspace), opts),
      sandboxStatus(),
    ]);
    return choices.clis.map((cli) => ({ ...cli, sandbox }));
  }),
  /**
   * The model each agent of a run would use (the config file under the host's overrides), before
   * any run: the editor asks for an API key only when some agent is on the Anthropic API.
   * Throws ProjectFileError when the config does not load.
   */
  agentModels: query(async (workspace: string, overrides?: ConfigOverrides): Promise<AgentModelInfo[]> => {
    const config = applyOverrides(await loadConfig(resolve(workspace)), overrides);
    return agentNames(config).map((agent) => {
      const model = modelFor(config, agent);
      return {
        agent,
        model,
        provider: parseModelId(model).provider,
        key: modelKeyFor(config, agent, overrides?.models),
      };
    });
  }),
};
