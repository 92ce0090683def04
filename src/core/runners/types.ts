/**
 * The runners room (issue 27): who does a role's work. Every phase that needs an agent (a
 * layer, spec, review, diagnose, audit) calls one door, pipeline/agent/agentRun.ts's
 * runPipelineAgent, which picks a runner by name (choose.ts) and calls `AgentRunner.run`.
 *
 * How a new CLI runner plugs in (codex, gemini, copilot, opencode):
 *   1. Add its name to RUNNER_NAMES below (the config schema and `--runner` take it from here).
 *   2. Write `src/core/runners/<name>/<name>Runner.ts` exporting an AgentRunner. Build it on the
 *      shared machinery in `cli/`: `runCliAgent` (cli/cliSession.ts) gives it the agent's own
 *      worktree without denied files, the owns gate (refused changes are reverted and the
 *      session resumed with the list), the minimal environment, the detached process group
 *      ended on cancel/budget/timeout, the journaled session and the one-line failures. Your
 *      adapter only turns a `CliTurnRequest` into the CLI's own process and maps its stream
 *      to `CliStreamEvent`s (cli/cliTypes.ts).
 *   3. Register it in registry.ts (lazily imported, so its SDK is loaded only when used) and
 *      give its defaults (sign-in variables, command) in cli/cliDefaults.ts.
 * Nothing outside this room knows a CLI's flags or types.
 */
import type { FinalReports } from '../agents/finalReports';
import type { AgentDefinition, AgentEnvironment, AgentResult, FinalCheck, FinalToolName } from '../agents/types';
import type { OrchestratorConfig } from '../project/config/configSchema';
import type { RunnerName } from './names';

export * from './names';

/** What a runner is asked to do: the agent's definition, final answer and its check. */
export type RunnerDefinition<F extends FinalToolName> = AgentDefinition & {
  finalTool: F;
  checkFinal?: FinalCheck<FinalReports[F]>;
  /**
   * A CLI agent's session to continue (a retry with the validation error, a block's answer, a
   * resume after a crash): the runner resumes it with `task` as the next message. The built-in
   * agent continues `continues` instead.
   */
  session?: string;
};

/** Where and under which rules a runner works: the built-in agent's environment plus the run's. */
export interface RunnerEnvironment extends AgentEnvironment {
  runId: string;
  /** The checkout that holds `.claude/runs/` (the workspace itself for an in-place run). */
  home: string;
  config: OrchestratorConfig;
  /**
   * The model chosen for this agent in the config (`models.agents.<role>`), passed to a CLI
   * agent; absent: the CLI's own default. The built-in agent uses `def.model`.
   */
  cliModel?: string;
}

/** What a runner returns: the built-in agent's result, plus the CLI agent's session when there is one. */
export type RunnerResult<Final> = AgentResult<Final> & { runner: RunnerName; session?: string };

export interface AgentRunner {
  readonly name: RunnerName;
  run<F extends FinalToolName>(def: RunnerDefinition<F>, env: RunnerEnvironment): Promise<RunnerResult<FinalReports[F]>>;
}
