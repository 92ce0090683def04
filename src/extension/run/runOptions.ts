/** Builds the engine's RunOptions for one run from the host, the settings and the abort signal. */
import * as vscode from 'vscode';
import type { RunOptions } from '../../core/api';
import type { Host } from '../../core/host';
import { readSettings, type EngineOverrides } from '../config/settings';

/**
 * RunOptions plus the settings' overrides. The engine ignores `overrides` until RunOptions
 * gains the field (requested); passing it now keeps the host forward compatible.
 */
export type HostRunOptions = RunOptions & { overrides?: EngineOverrides };

export function buildRunOptions(workspace: string, host: Host, signal: AbortSignal): HostRunOptions {
  const settings = readSettings(vscode.Uri.file(workspace));
  return {
    workspace,
    host,
    signal,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.overrides.models || settings.overrides.limits ? { overrides: settings.overrides } : {}),
  };
}
