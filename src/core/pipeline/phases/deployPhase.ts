/**
 * DEPLOY, after COMPLETE (seed 003's DevOps role): the project's `deploy:` commands, then its
 * `smoke:` tests, under the rules of validate commands — the minimal environment, the files
 * they execute checked unchanged since the run started (and never inside a layer's `owns`,
 * which loading the config refuses), and nothing at all in an untrusted workspace. They emit
 * `deploy.completed` (CloudEvents `devops.deployed`) and `smoke.passed` / `smoke.failed`
 * (`qa.passed` / `qa.failed`). A failing command stops the run with its report; `resume`
 * deploys and tests again.
 */
import { redactSecrets } from '../../text/secrets';
import { trimErrorOutput, type CommandResult } from '../../process';
import { deployStopped, type RunContext, runProjectCommand, untrustedStopped } from '../kernel';
import type { RunStop } from '../../errors';

export function hasDeployStep(ctx: RunContext): boolean {
  return ctx.config.deploy.length > 0 || ctx.config.smoke.length > 0;
}

/** Before any model call: a run that would deploy must be able to. */
export function requireTrustForDeploy(ctx: RunContext): void {
  if (hasDeployStep(ctx) && !ctx.host.isTrusted())
    throw untrustedStopped('the deploy step (deploy and smoke commands)');
}

export async function deployPhase(ctx: RunContext): Promise<void> {
  requireTrustForDeploy(ctx);
  const started = Date.now();
  for (const command of ctx.config.deploy) {
    const result = await run(ctx, 'deploy', command);
    if (result.exitCode !== 0) throw stopped(ctx, 'deploy', result);
  }
  if (ctx.config.deploy.length > 0)
    ctx.emit({ type: 'deploy.completed', commands: [...ctx.config.deploy], ms: Date.now() - started });
  const smokeStarted = Date.now();
  for (const command of ctx.config.smoke) {
    const result = await run(ctx, 'smoke', command);
    if (result.exitCode !== 0) {
      ctx.emit({ type: 'smoke.failed', command, exitCode: result.exitCode, output: outputOf(result) });
      throw stopped(ctx, 'smoke', result);
    }
  }
  if (ctx.config.smoke.length > 0)
    ctx.emit({ type: 'smoke.passed', commands: [...ctx.config.smoke], ms: Date.now() - smokeStarted });
}

async function run(ctx: RunContext, kind: 'deploy' | 'smoke', command: string): Promise<CommandResult> {
  ctx.emit({ type: 'log', level: 'info', message: `DEPLOY: ${command}` });
  return runProjectCommand(ctx, command, { kind });
}

const outputOf = (result: CommandResult): string => trimErrorOutput(redactSecrets(result.output).text);

function stopped(ctx: RunContext, step: 'deploy' | 'smoke', result: CommandResult): RunStop {
  return deployStopped({
    step,
    command: result.command,
    exitCode: result.exitCode,
    output: outputOf(result),
    deployedBy: step === 'smoke' ? ctx.config.deploy : [],
  });
}
