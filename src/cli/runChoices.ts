/**
 * The CLI's flags as a run's choices (src/core/runChoices.ts, issue 72): the one translation, for
 * a run here and for one sent to the pool (its job row holds the same choices; a worker runs it
 * with them). docs/cli.md is the contract of the flags.
 */
import type { RunChoices } from '../core/api';
import type { CliArgs } from './args';

export function choicesOf(args: CliArgs): RunChoices {
  return {
    // Answers given up front: the engine decides with them (questions.ts).
    ...(args.approve ? { autoApprove: true, approveGates: true } : {}),
    ...(args.yes ? { assumeYes: true } : {}),
    ...(args.maxBudget !== undefined ? { overrides: { limits: { maxBudgetUsd: args.maxBudget } } } : {}),
    ...(args.worktree ? { isolation: 'worktree' as const } : {}),
    ...(args.runner ? { runner: args.runner } : {}),
    ...(args.attempts !== undefined ? { attempts: Number(args.attempts) } : {}),
    ...(args.workflow ? { workflow: args.workflow } : {}),
    ...(args.allowUntested ? { allowUntested: true } : {}),
    ...(args.allowUnchecked ? { allowUnchecked: true } : {}),
  };
}
