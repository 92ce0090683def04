/** Builds the engine's RunOptions for one run from the host, the settings, the abort signal and the host's model providers. */
import * as vscode from 'vscode';
import type { RunOptions } from '../../core/api';
import type { Host } from '../../core/host';
import type { ModelProvider } from '../../core/llm';
import { readSettings } from '../config/settings';
import type { RunKind } from '../view/actions';

/**
 * The runs that take `orchestrator.attempts`, as the CLI's `--attempts` goes with feature, bugfix
 * and approve: a resumed run keeps the number it started with (its journal), an audit has none.
 */
export const ATTEMPTS_KINDS: readonly RunKind[] = ['feature', 'bugfix', 'approve'];

export function buildRunOptions(workspace: string, host: Host, signal: AbortSignal, providers: ModelProvider[], run: { kind: RunKind; isolation?: 'in-place' | 'worktree' }): RunOptions {
  const settings = readSettings(vscode.Uri.file(workspace));
  return {
    workspace,
    host,
    signal,
    providers,
    ...(run.isolation ? { isolation: run.isolation } : {}),
    ...(settings.runner ? { runner: settings.runner } : {}),
    ...(settings.attempts !== undefined && ATTEMPTS_KINDS.includes(run.kind) ? { attempts: settings.attempts } : {}),
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.overrides.models || settings.overrides.limits ? { overrides: settings.overrides } : {}),
  };
}
