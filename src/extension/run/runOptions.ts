/** Builds the engine's RunOptions for one run from the host, the settings, the abort signal and the host's model providers. */
import * as vscode from 'vscode';
import type { RunOptions } from '../../core/api';
import type { Host } from '../../core/host';
import type { ModelProvider } from '../../core/llm';
import { readSettings } from '../config/settings';
import { runSettings } from '../config/settingValues';
import type { RunKind } from '../view/actions';

export function buildRunOptions(
  workspace: string,
  host: Host,
  signal: AbortSignal,
  providers: ModelProvider[],
  run: { kind: RunKind; isolation?: 'in-place' | 'worktree' },
): RunOptions {
  const settings = readSettings(vscode.Uri.file(workspace));
  return {
    workspace,
    host,
    signal,
    providers,
    ...(run.isolation ? { isolation: run.isolation } : {}),
    ...runSettings(settings, run.kind),
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.overrides.models || settings.overrides.limits ? { overrides: settings.overrides } : {}),
  };
}
