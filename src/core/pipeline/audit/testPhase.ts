/**
 * TEST: the project's `audit.test` commands, run by the orchestrator itself with the same
 * machinery as validation (trusted workspaces only, bounded by `commandTimeoutSec`, the key
 * scrubbed from their environment). Passed, failed, skipped and coverage are read from the
 * output where the runner is known; a failing test does not stop the loop: the re-audit and
 * the next fixers are told.
 */
import { type RunContext, runProjectCommand, untrustedStopped } from '../kernel';
import { parseTestOutput } from './testOutput';
import type { TestRun } from '../../auditTypes';

export async function testPhase(ctx: RunContext, iteration: number): Promise<void> {
  const commands = ctx.config.audit.test;
  if (commands.length > 0 && !ctx.host.isTrusted()) throw untrustedStopped('running the audit.test commands');
  if (commands.length === 0)
    ctx.emit({ type: 'log', level: 'info', message: 'TEST: no audit.test commands in .claude/orchestrator.yaml' });
  const runs: TestRun[] = [];
  for (const command of commands) {
    const result = await runProjectCommand(ctx, command, { kind: 'audit.test' });
    runs.push({ command, exitCode: result.exitCode, ms: result.ms, ...parseTestOutput(result.output) });
  }
  ctx.emit({ type: 'audit.tested', iteration, runs });
}
