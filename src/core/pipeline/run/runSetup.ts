/**
 * What has to hold before a run may start, checked before any model call: every project
 * file and spec parses (a broken one throws its ProjectFileError naming file, line and key), an API
 * key exists, and every model the run may use has a price (the budget depends on it).
 */
import { resolve } from 'node:path';
import type { ConfigOverrides, RunOptions } from '../../api';
import type { EventSink } from '../../events';
import { createModelClient } from '../../llm/anthropicClient';
import { createPricing, UnknownModelPriceError } from '../../llm/pricing';
import type { ModelClient } from '../../llm/types';
import { modelFor, type OrchestratorConfig } from '../../project/config';
import { loadProjectFiles, type ProjectFiles } from '../../project/projectFiles';
import { listSpecs } from '../../project/specs';
import { ConfigurationError } from './errors';
import { AUDIT_ROLES } from '../audit/types';

export interface PreparedRun {
  workspace: string;
  project: ProjectFiles;
  apiKey: string;
}

export async function prepareRun(opts: RunOptions): Promise<PreparedRun> {
  const workspace = resolve(opts.workspace);
  const loaded = await loadProjectFiles(workspace);
  const project = { ...loaded, config: applyOverrides(loaded.config, opts.overrides) };
  await listSpecs(workspace); // every spec's front matter parses, or its file:line error now
  const apiKey = await opts.host.getApiKey();
  if (!apiKey) {
    throw new ConfigurationError('No Anthropic API key: set ANTHROPIC_API_KEY (or store a key in the editor). No model call was made.');
  }
  checkModelPrices(project.config);
  return { workspace, project, apiKey };
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

export function checkModelPrices(config: OrchestratorConfig): void {
  const pricing = createPricing(config.pricing);
  for (const agent of agentNames(config)) {
    try {
      pricing.priceFor(modelFor(config, agent));
    } catch (error) {
      if (error instanceof UnknownModelPriceError) throw new ConfigurationError(`${error.message} (model of the ${agent} agent)`);
      throw error;
    }
  }
}

/** One client per agent: the SDK's retries are journaled as `llm.retry` under its name. */
export function modelClients(prepared: PreparedRun, opts: RunOptions, emit: EventSink): (agent: string) => ModelClient {
  const clients = new Map<string, ModelClient>();
  return (agent) => {
    let client = clients.get(agent);
    if (!client) {
      client = createModelClient({
        apiKey: prepared.apiKey,
        ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
        pricing: prepared.project.config.pricing,
        onRetry: (info) => emit({ type: 'llm.retry', agent, reason: info.reason, attempt: info.attempt }),
      });
      clients.set(agent, client);
    }
    return client;
  };
}
