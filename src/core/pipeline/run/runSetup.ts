/**
 * What has to hold before a run may start, checked before any model call: every project
 * file and spec parses (a broken one throws its ProjectFileError naming file, line and key),
 * and every model the run may use is usable: its provider is known and has its credentials,
 * the model exists and has a price where its provider requires one (runModels.ts).
 */
import { join, resolve } from 'node:path';
import type { ConfigOverrides, RunOptions } from '../../api';
import type { RunKind } from '../../events';
import { loadMustardProject, type MustardProject } from '../../mustard/mustardProject';
import type { OrchestratorConfig } from '../../project/config/config';
import { censusRoom } from '../../census/load';
import { CONFIG_FILE, readOptionalText } from '../../project/sources/files';
import { loadProjectFiles, type ProjectFiles } from '../../project/registry/projectFiles';
import { listSpecs } from '../../project/specs/specs';
import { AUDIT_ROLES } from '../audit/types';
import { openRunModels, type RunModels } from './runModels';
import { checkRunnerCommands } from '../../runners/cliAgent/cliCommand';
import { runnerNameFor } from '../../runners/choose';
import { isCliRunner } from '../../runners/names';

export interface PreparedRun {
  workspace: string;
  project: ProjectFiles;
  /** Mustard's files (mustard.json, grain.model.json, CLAUDE.md guards), when the project has them. */
  mustard: MustardProject;
  models: RunModels;
}

/** `kind`: what the run does, so a missing key names only the agents it starts. */
export async function prepareRun(opts: RunOptions, kind: AgentSet): Promise<PreparedRun> {
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
  await listSpecs(workspace); // every spec's front matter parses, or its file:line error now
  // A CLI agent the run will use must be there before the spec agent spends anything.
  checkRunnerCommands(project.config, agentNames(project.config, kind), opts.runner, workspace);
  // A CLI agent's model (models.agents.<role>) goes to the CLI, never to our providers: a plain
  // `gpt-5.5` for a layer on codex is the CLI's to check.
  const ours = agentNames(project.config, kind).filter((agent) => !isCliRunner(runnerNameFor(project.config, agent, opts.runner)));
  const [models, mustard] = await Promise.all([openRunModels(opts, project.config, ours), loadMustardProject(workspace, project.config)]);
  return { workspace, project, mustard, models };
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
