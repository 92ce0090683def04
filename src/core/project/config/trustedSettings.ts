/**
 * Settings of `.claude/orchestrator.yaml` that send the user's keys somewhere or start a program:
 * a cloned repository could point them at a server of its author's. They take effect only in a
 * trusted workspace (VS Code's Restricted Mode uses none of them; the CLI trusts the folder it runs in).
 */
import type { OrchestratorConfig } from './configSchema';

/** The keys set in `config` that need a trusted workspace, by their config names. */
export function trustOnlySettings(config: OrchestratorConfig): string[] {
  const set: string[] = [];
  for (const [provider, settings] of Object.entries(config.providers))
    if (settings.baseURL !== undefined) set.push(`providers.${provider}.baseURL`);
  for (const [cli, settings] of Object.entries(config.agentCli)) {
    if (settings?.command !== undefined) set.push(`agentCli.${cli}.command`);
    if (settings?.env !== undefined) set.push(`agentCli.${cli}.env`);
  }
  return set;
}

/** Why nothing runs in an untrusted workspace whose config sets trust-only keys; undefined when it may run. */
export function untrustedSettingsError(config: OrchestratorConfig, trusted: boolean): string | undefined {
  if (trusted) return undefined;
  const set = trustOnlySettings(config);
  if (set.length === 0) return undefined;
  return (
    `Restricted Mode: this workspace's .claude/orchestrator.yaml sets ${set.join(', ')}, which would send your keys to a server it names or start a program it names. ` +
    'They are not used until you trust the workspace (Manage Workspace Trust), so nothing runs. No model call was made.'
  );
}
