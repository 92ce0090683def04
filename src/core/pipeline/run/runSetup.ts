/**
 * What has to hold before a run may start, checked before any model call: every project
 * file and spec parses (a broken one throws its ProjectFileError naming file, line and key),
 * and every model the run may use is usable: its provider is known and has its credentials,
 * the model exists and has a price where its provider requires one (kernel/runModels.ts).
 */
import { join, resolve } from 'node:path';
import type { ConfigOverrides, RunOptions } from '../../api';
import type { RunKind } from '../../events';
import { loadMustardProject, type MustardProject } from '../../mustard';
import { censusRoom } from '../../census';
import { CONFIG_FILE, readOptionalText } from '../../project/sources';
import { loadProjectFiles, type ProjectFiles } from '../../project/registry';
import { listSpecs } from '../../project/specs';
import { AUDIT_ROLES } from '../../auditTypes';
import { type ChosenModel, openRunModels, type RunModels } from '../kernel';
import { agentRunnerName, checkRunnerCommands, isCliRunner, parseRunnerPick, type RunnerName } from '../../runners';
import { requireSandbox } from './sandboxCheck';
import { modelFor, modelKeyFor, type OrchestratorConfig } from '../../project/config';
import type { Workflow } from '../../project/workflows';
import { type WorkflowAgent, workflowAgents } from '../workflow';

export interface PreparedRun {
  workspace: string;
  project: ProjectFiles;
  /** Mustard's files (mustard.json, grain.model.json, CLAUDE.md guards), when the project has them. */
  mustard: MustardProject;
  models: RunModels;
  /** The agents it was prepared for: its kind's, and the workflow's roles when it was given one. */
  agents: { kind: AgentSet; workflow?: string };
}

/**
 * `kind`: what the run does, so a missing key names only the agents it starts. `workflow`: the
 * workflow it follows, whose roles' providers and runners are opened too (a role on a provider or
 * a CLI agent no other agent uses fails here, not when its phase comes).
 */
export async function prepareRun(opts: RunOptions, kind: AgentSet, workflow?: Workflow): Promise<PreparedRun> {
  const workspace = resolve(opts.workspace);
  const loaded = await loadProjectFiles(workspace);
  if ((await readOptionalText(join(workspace, CONFIG_FILE))) === undefined) {
    // No config: the census in memory, never the default layers that match nothing here.
    const census = await censusRoom().censusInMemory(workspace);
    loaded.config = census.config;
    loaded.contexts = census.contexts;
    loaded.warnings.unshift(census.notice);
  }
  const project = { ...loaded, config: applyOverrides(loaded.config, opts.overrides) };
  const { config } = project;
  await listSpecs(workspace); // every spec's front matter parses, or its file:line error now
  const runnerOf = (agent: string) => agentRunnerName(config, agent, opts.runner, workflow);
  const roles = workflow ? workflowAgents(workflow) : [];
  const roleName = (role: WorkflowAgent) =>
    `${role.agent} (the role of phase ${role.phase} in workflow ${workflow!.name})`;
  const agents = agentNames(config, kind);
  // A CLI agent the run will use must be there before the spec agent spends anything (`auto`'s
  // candidates are checked when it chooses: one that is not there is skipped and said).
  const named = [
    ...agents.map((agent) => ({ agent, runner: runnerOf(agent) })),
    ...roles.map((role) => ({ agent: role.agent, runner: runnerOf(role.agent), who: roleName(role) })),
  ];
  checkRunnerCommands(
    config,
    named.filter((use): use is typeof use & { runner: RunnerName } => use.runner !== 'auto'),
    workspace,
  );
  const auto = autoModels(
    config,
    agents.filter((agent) => runnerOf(agent) === 'auto'),
  );
  // A CLI agent's model (models.agents.<role>) goes to the CLI, never to our providers: a plain
  // `gpt-5.5` for a layer on codex is the CLI's to check.
  const ours = agents.filter((agent) => (runnerOf(agent) === 'auto' ? auto.layerModel : !isCliRunner(runnerOf(agent))));
  // No sandbox where one is required: stopped here, before anything is spent (issue 36).
  await requireSandbox(
    config,
    auto.cli ||
      agents.some((agent) => isCliRunner(runnerOf(agent))) ||
      roles.some((role) => isCliRunner(runnerOf(role.agent))),
  );
  const roleModels = roles
    .filter((role) => !isCliRunner(runnerOf(role.agent)))
    .map((role) => ({
      agent: role.agent,
      model: role.model ?? modelFor(config, role.agent),
      key: `phase ${role.phase}: ${role.model ? 'role.model' : modelKeyFor(config, role.agent, opts.overrides?.models)}`,
    }));
  const [models, mustard] = await Promise.all([
    openRunModels(opts, config, ours, [...roleModels, ...auto.chosen]),
    loadMustardProject(workspace, config),
  ]);
  return { workspace, project, mustard, models, agents: { kind, ...(workflow ? { workflow: workflow.name } : {}) } };
}

/**
 * What the layers on `runner: auto` may run on (issue 47): our agent on the layer's model (an
 * `agent` entry of `attemptRunners`, or no list: every signed-in runner), our agent on an entry's
 * model (opened and checked now, named by its entry), a CLI agent (the sandbox is needed).
 */
function autoModels(
  config: OrchestratorConfig,
  layers: readonly string[],
): { layerModel: boolean; chosen: ChosenModel[]; cli: boolean } {
  if (layers.length === 0) return { layerModel: false, chosen: [], cli: false };
  if (config.attemptRunners.length === 0) return { layerModel: true, chosen: [], cli: true };
  const picks = config.attemptRunners.map(parseRunnerPick);
  const chosen = picks.flatMap((pick, i) =>
    pick.runner === 'agent' && pick.model
      ? layers.map((agent) => ({ agent, model: pick.model!, key: `attemptRunners[${i}]` }))
      : [],
  );
  return {
    layerModel: picks.some((pick) => pick.runner === 'agent' && !pick.model),
    chosen,
    cli: picks.some((pick) => isCliRunner(pick.runner)),
  };
}

/** Whether `prepared` opened what a run of `workflow` needs (its roles' providers and runners). */
export function preparedFor(prepared: PreparedRun, workflow: Workflow | undefined): boolean {
  return !workflow || workflowAgents(workflow).length === 0 || prepared.agents.workflow === workflow.name;
}

/** The host's settings win over the file; unset keys keep the file's values. */
export function applyOverrides(config: OrchestratorConfig, overrides: ConfigOverrides | undefined): OrchestratorConfig {
  if (!overrides) return config;
  return {
    ...config,
    models: {
      default: overrides.models?.default ?? config.models.default,
      agents: { ...config.models.agents, ...overrides.models?.agents },
    },
    limits: { ...config.limits, ...overrides.limits },
  };
}

/** A run's kind, `approval` (a saved spec implemented: no spec or diagnose agent), or `any`. */
export type AgentSet = RunKind | 'approval' | 'any';

const ROLES: Record<AgentSet, readonly string[]> = {
  feature: ['spec', 'review'],
  bugfix: ['diagnose', 'spec', 'review'],
  approval: ['review'],
  audit: AUDIT_ROLES,
  any: ['spec', 'review', 'diagnose', ...AUDIT_ROLES],
};

/** The agents a run may start: every layer, and the roles of its kind. */
export function agentNames(config: OrchestratorConfig, kind: AgentSet = 'any'): string[] {
  return [...Object.keys(config.layers), ...ROLES[kind]];
}
