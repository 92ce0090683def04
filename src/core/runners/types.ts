/**
 * The runners room (issue 27): who does a role's work. Every phase that needs an agent (a
 * layer, spec, review, diagnose, audit) calls one door, pipeline/agent/agentRun.ts's
 * runPipelineAgent, which picks a runner by name (choose.ts) and calls `AgentRunner.run`.
 *
 * How a new CLI runner plugs in (codex, gemini, copilot, opencode):
 *   1. Its name is already in RUNNER_NAMES / CLI_RUNNERS (src/core/text/runnerNames.ts); its
 *      defaults (command, sign-in variables, install line) in cliAgent/cliDefaults.ts.
 *   2. Write `src/core/runners/<name>/<name>Runner.ts`: a CliAdapter (cliAgent/cliTypes.ts)
 *      that runs ONE turn of the CLI (start or resume its session with a prompt, through
 *      `request.spawn` so it runs detached in its own process group) and maps its stream to
 *      CliStreamEvents; and `export const <name>Runner: AgentRunner = { name, run: (def, env) =>
 *      runCliAgent(adapter, def, env) }`. runCliAgent (cliAgent/cliSession.ts) does the rest,
 *      once for every CLI: the agent's own worktree without denied files, the owns gate
 *      (refused changes reverted, the session resumed with the list), the minimal environment,
 *      the process group ended on cancel/budget/timeout, usage against the budget, the
 *      journaled session, the final-answer check (sent back once) and one-line failures.
 *   3. Export it from room.ts (the lazily loaded dist/runners.js) and map its name in registry.ts.
 * Nothing outside this room knows a CLI's flags or types.
 */
import type {
  AgentDefinition,
  AgentEnvironment,
  AgentResult,
  FinalCheck,
  FinalReports,
  FinalToolName,
} from '../agents';
import type { OrchestratorConfig } from '../project/config';
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
  run<F extends FinalToolName>(
    def: RunnerDefinition<F>,
    env: RunnerEnvironment,
  ): Promise<RunnerResult<FinalReports[F]>>;
}
