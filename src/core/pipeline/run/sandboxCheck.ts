/**
 * Before a run starts (issue 36): with `sandbox: required` (the default), a run that will run
 * code the layers wrote (validate, sync, deploy, smoke, the audit's tests, worktree setup) or a
 * CLI agent needs a sandbox on this machine; where there is none it stops here, before any
 * model call or journal line, with one line naming what to install (exit 2 in the CLI).
 */
import { ConfigurationError } from '../../errors';
import type { OrchestratorConfig } from '../../project/config';
import { sandboxSupport } from '../../sandbox';

/** Whether the config has any command that runs the project's code. */
export function runsProjectCode(config: OrchestratorConfig): boolean {
  const layerCommands = Object.values(config.layers).some((layer) => layer.validate.length > 0);
  return (
    layerCommands ||
    [config.sync, config.deploy, config.smoke, config.audit.test, config.worktree.setup].some(
      (commands) => commands.length > 0,
    )
  );
}

export async function requireSandbox(config: OrchestratorConfig, usesCliAgent: boolean): Promise<void> {
  if (config.sandbox.mode === 'off' || (!usesCliAgent && !runsProjectCode(config))) return;
  const support = await sandboxSupport();
  if (!support.available)
    throw new ConfigurationError(
      `No sandbox on this machine (sandbox: required): ${support.reason ?? 'unknown reason'}. Or set sandbox: off in .claude/orchestrator.yaml to run agents and commands unconfined.`,
    );
}
