/**
 * What has to hold before a run may start, checked before any model call: every project
 * file and spec parses (a broken one throws its ProjectFileError naming file, line and key),
 * and every model the run may use is usable: its provider is known and has its credentials,
 * the model exists and has a price where its provider requires one (runModels.ts).
 */
import { resolve } from 'node:path';
import type { ConfigOverrides, RunOptions } from '../../api';
import { loadMustardProject, type MustardProject } from '../../mustard/mustardProject';
import type { OrchestratorConfig } from '../../project/config/config';
import { loadProjectFiles, type ProjectFiles } from '../../project/registry/projectFiles';
import { listSpecs } from '../../project/specs/specs';
import { AUDIT_ROLES } from '../audit/types';
import { openRunModels, type RunModels } from './runModels';

export interface PreparedRun {
  workspace: string;
  project: ProjectFiles;
  /** Mustard's files (mustard.json, grain.model.json, CLAUDE.md guards), when the project has them. */
  mustard: MustardProject;
  models: RunModels;
}

export async function prepareRun(opts: RunOptions): Promise<PreparedRun> {
  const workspace = resolve(opts.workspace);
  const loaded = await loadProjectFiles(workspace);
  const project = { ...loaded, config: applyOverrides(loaded.config, opts.overrides) };
  await listSpecs(workspace); // every spec's front matter parses, or its file:line error now
  const [models, mustard] = await Promise.all([openRunModels(opts, project.config, agentNames(project.config)), loadMustardProject(workspace, project.config)]);
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

/** The agents a run may start: every layer, the spec, review and diagnose agents, and the audit loop's roles. */
export function agentNames(config: OrchestratorConfig): string[] {
  return [...Object.keys(config.layers), 'spec', 'review', 'diagnose', ...AUDIT_ROLES];
}
