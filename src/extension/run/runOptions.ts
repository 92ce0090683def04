/** Builds the engine's RunOptions for one run from the host, the settings and the abort signal. */
import * as vscode from 'vscode';
import type { RunOptions } from '../../core/api';
import type { Host } from '../../core/host';
import { readSettings } from '../config/settings';

export function buildRunOptions(workspace: string, host: Host, signal: AbortSignal): RunOptions {
  const settings = readSettings(vscode.Uri.file(workspace));
  return {
    workspace,
    host,
    signal,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.overrides.models || settings.overrides.limits ? { overrides: settings.overrides } : {}),
  };
}
