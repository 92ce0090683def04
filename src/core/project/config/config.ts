import { join } from 'node:path';
import picomatch from 'picomatch';
import { ANTHROPIC, parseModelId } from '../../llm';
import { configSchema, DEFAULT_REVIEW_MODEL, type LayerConfig, type OrchestratorConfig } from './configSchema';
import { checkCommandPrograms, loadJsWorkspace } from '../commands';
import { checkSchema, CONFIG_FILE, type ParsedSource, parseYamlSource, readOptionalText } from '../sources';

export { DEFAULT_LAYERS, DEFAULT_MODEL, DEFAULT_REVIEW_MODEL } from './configSchema';
export type { Isolation, LayerConfig, Limits, OrchestratorConfig, WorktreeConfig } from './configSchema';
export { computeWaves } from './layerWaves';

/**
 * Loads `.claude/orchestrator.yaml`; a missing file means all defaults. Throws ProjectFileError,
 * also for a command that executes a file some layer may write (commandSafety.ts).
 */
export async function loadConfig(workspace: string): Promise<OrchestratorConfig> {
  const text = await readOptionalText(join(workspace, CONFIG_FILE));
  if (text === undefined) return defaultConfig();
  const { config, source } = parseConfigSource(text, CONFIG_FILE);
  // `pnpm --filter web` names a package: the trust rule needs to know where it is.
  await loadJsWorkspace(workspace).catch(() => undefined);
  checkCommandPrograms(workspace, config, source);
  return config;
}

/** Config text not (yet) on disk — the census's, in memory — checked exactly as the file would be. */
export async function loadConfigText(workspace: string, text: string, file = CONFIG_FILE): Promise<OrchestratorConfig> {
  const { config, source } = parseConfigSource(text, file);
  await loadJsWorkspace(workspace).catch(() => undefined);
  checkCommandPrograms(workspace, config, source);
  return config;
}

/** Parses config text; `file` is the workspace-relative name used in error messages. */
export function parseConfig(text: string, file = CONFIG_FILE): OrchestratorConfig {
  return parseConfigSource(text, file).config;
}

function parseConfigSource(text: string, file: string): { config: OrchestratorConfig; source: ParsedSource } {
  const source = parseYamlSource(text, file);
  // An empty or comments-only file is the same as no file.
  if (source.value === null || source.value === undefined) source.value = {};
  return { config: checkSchema(configSchema, source), source };
}

export function defaultConfig(): OrchestratorConfig {
  return configSchema.parse({});
}

/**
 * The model an agent runs on: its own entry under `models.agents`, else `models.default`. The
 * review agent without an entry runs on DEFAULT_REVIEW_MODEL, a stronger Claude model, when
 * the default is a Claude model too: a default on another provider (the editor's models, an
 * OpenAI-compatible endpoint) applies to review as well, so choosing one needs no Anthropic key.
 */
export function modelFor(config: OrchestratorConfig, agentName: string): string {
  if (Object.hasOwn(config.models.agents, agentName)) return config.models.agents[agentName] as string;
  if (agentName === 'review' && parseModelId(config.models.default).provider === ANTHROPIC) return DEFAULT_REVIEW_MODEL;
  return config.models.default;
}

const matchers = new WeakMap<LayerConfig, (path: string) => boolean>();

function ownsMatcher(layer: LayerConfig): (path: string) => boolean {
  let matcher = matchers.get(layer);
  if (!matcher) {
    matcher = picomatch(layer.owns, { dot: true });
    matchers.set(layer, matcher);
  }
  return matcher;
}

/** Workspace-relative, forward slashes, no leading `./`; undefined for paths outside the workspace. */
export function normalizeWorkspacePath(path: string): string | undefined {
  const slashed = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (slashed === '' || slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return undefined;
  if (slashed.split('/').includes('..')) return undefined;
  return slashed;
}

/** The first layer (in config order) whose `owns` globs match a workspace-relative path. */
export function layerOwning(config: OrchestratorConfig, path: string): string | undefined {
  const normalized = normalizeWorkspacePath(path);
  if (normalized === undefined) return undefined;
  for (const [name, layer] of Object.entries(config.layers)) {
    if (ownsMatcher(layer)(normalized)) return name;
  }
  return undefined;
}

const schemaMatchers = new WeakMap<readonly string[], (path: string) => boolean>();

/** True when a workspace-relative path falls under the `schema` globs. */
export function isSchemaPath(config: OrchestratorConfig, path: string): boolean {
  const normalized = normalizeWorkspacePath(path);
  if (normalized === undefined || config.schema.length === 0) return false;
  let matcher = schemaMatchers.get(config.schema);
  if (!matcher) {
    matcher = picomatch(config.schema, { dot: true });
    schemaMatchers.set(config.schema, matcher);
  }
  return matcher(normalized);
}

/**
 * The config key that chose an agent's model, for messages: `models.agents.<name>` when the
 * agent has its own entry, else `models.default`; the editor's settings when they set it.
 */
export function modelKeyFor(
  config: OrchestratorConfig,
  agentName: string,
  overrides?: { default?: string; agents?: Record<string, string> },
): string {
  if (overrides?.agents && Object.hasOwn(overrides.agents, agentName))
    return `orchestrator.models.agents["${agentName}"] (editor setting)`;
  if (Object.hasOwn(config.models.agents, agentName)) return `models.agents.${agentName}`;
  return overrides?.default ? 'orchestrator.models.default (editor setting)' : 'models.default';
}
