/**
 * Reads the `orchestrator.*` settings. Values left empty/null mean "use
 * .claude/orchestrator.yaml or the engine's defaults", so settings only override.
 *
 * In Restricted Mode VS Code itself ignores workspace values of the settings listed in
 * `capabilities.untrustedWorkspaces.restrictedConfigurations` (baseUrl could send the API
 * key to another server; the budget could spend the user's money).
 */
import * as vscode from 'vscode';
import type { ConfigOverrides } from '../../core/api';
import { OVERRIDABLE_LIMITS } from '../../core/text/overridableLimits';
import type { LayerRunner } from '../../core/text/runnerNames';
import { attemptsSetting, runnerSetting } from './settingValues';

export type LimitOverrides = NonNullable<ConfigOverrides['limits']>;

/** Overrides of .claude/orchestrator.yaml. */
export type EngineOverrides = ConfigOverrides;

export interface OrchestratorSettings {
  baseURL?: string;
  overrides: EngineOverrides;
  /** `orchestrator.isolation`; absent: as the config file says. */
  isolation?: 'in-place' | 'worktree';
  /** `orchestrator.runner`: every layer on this runner, or `auto` (a run's `--runner`); absent: as the config says. */
  runner?: LayerRunner;
  /** `orchestrator.attempts`: attempts at every layer of a run started here (a run's `--attempts`); absent: as the config says. */
  attempts?: number;
}

/** The limits the editor has a setting for (package.json's `orchestrator.limits.*`). */
const limitKeys = OVERRIDABLE_LIMITS.filter((key) => key !== 'apiRetryWindowSec' && key !== 'maxBlocks');

const nonEmpty = (s: unknown): string | undefined => (typeof s === 'string' && s.trim() ? s.trim() : undefined);

export function readSettings(scope?: vscode.Uri, env: NodeJS.ProcessEnv = process.env): OrchestratorSettings {
  const config = vscode.workspace.getConfiguration('orchestrator', scope);
  const limits: LimitOverrides = {};
  for (const key of limitKeys) {
    const value = config.get<number | null>(`limits.${key}`);
    if (typeof value === 'number' && Number.isFinite(value)) limits[key] = value;
  }
  const agents = Object.fromEntries(
    Object.entries(config.get<Record<string, unknown>>('models.agents') ?? {}).filter(
      (e): e is [string, string] => nonEmpty(e[1]) !== undefined,
    ),
  );
  const defaultModel = nonEmpty(config.get('models.default'));
  const overrides: EngineOverrides = {};
  if (defaultModel || Object.keys(agents).length > 0)
    overrides.models = {
      ...(defaultModel ? { default: defaultModel } : {}),
      ...(Object.keys(agents).length ? { agents } : {}),
    };
  if (Object.keys(limits).length > 0) overrides.limits = limits;
  // The setting wins; else the SDK's own variable (the e2e tests set it via extensionEnvironment).
  const isolation = config.get<string>('isolation');
  const runner = runnerSetting(config.get('runner'));
  const attempts = attemptsSetting(config.get('attempts'));
  return {
    baseURL: nonEmpty(config.get('baseUrl')) ?? nonEmpty(env.ANTHROPIC_BASE_URL),
    overrides,
    ...(isolation === 'in-place' || isolation === 'worktree' ? { isolation } : {}),
    ...(runner ? { runner } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
  };
}
