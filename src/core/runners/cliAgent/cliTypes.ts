/**
 * What a CLI adapter (one per CLI agent: claude-code, codex, …) does for the shared machinery
 * (cliSession.ts): run ONE turn of the agent — start or resume its session with a message —
 * and report its stream in our terms. Everything around the turn (worktree, owns gate, budget,
 * timeouts, process group, journal, final-answer checks) is the machinery's.
 */
import type { Usage } from '../../llm';
import type { CliRunnerName } from '../names';
import type { SignIn } from './privateHome';
import type { CliSpawn } from './processGroup';

export interface CliTurnRequest {
  /**
   * The program to start: the resolved CLI (agentCli.<runner>.command), or, inside the sandbox,
   * a launcher that runs it there with the arguments it is given (agentSandbox.ts).
   */
  command: string;
  /** The agent's worktree folder: its working directory. */
  cwd: string;
  /** The message of this turn: the task, or what a resumed session is told (refused files, a validation error…). */
  prompt: string;
  /** Our instructions for the role, appended to the CLI's own system prompt. */
  system: string;
  /** The session to resume; absent: a new one. */
  session?: string;
  /** models.agents.<role> when set; absent: the CLI's default. */
  model?: string;
  maxTurns: number;
  /** Workspace-relative globs the agent may change; empty: read-only (review, spec, diagnose, audit). */
  owns: readonly string[];
  /** The deny list's patterns (secrets): the adapter adds the CLI's own read-deny rules for them. */
  deny: readonly string[];
  /** Absolute paths the agent never reads nor writes (the user's checkout, the run's workspace, the secrets of the user's home): for the CLI's own rules, above the sandbox's. */
  outside: readonly string[];
  /** JSON Schema of the final answer (our final tool's input), for the CLI's structured output. */
  finalSchema: Record<string, unknown>;
  /** USD the run may still spend, for a CLI that can stop itself at a cap (ours is enforced anyway). */
  budgetLeftUsd?: number;
  /**
   * The minimal environment: PATH, LANG and the variables agentCli.<r>.env names; HOME and TMPDIR
   * are the agent's private ones (privateHome.ts), where the CLI keeps its state and sessions.
   */
  env: Record<string, string>;
  /** Whether it runs inside our sandbox (`sandbox: required`); absent or false: bare (`sandbox: off`). */
  sandboxed?: boolean;
  /** Starts the CLI's process detached, in its own process group the machinery can end whole. */
  spawn: CliSpawn;
  signal: AbortSignal;
  onEvent(event: CliStreamEvent): void;
}

/** The agent's stream, sanitized by the machinery before it reaches the journal or a screen. */
export type CliStreamEvent =
  | { kind: 'session'; session: string }
  /**
   * Usage of one model reply, in parts as it streams (its input when it starts, so a cap holds
   * before its tools run; its output when it ends, `ends`), with the model that answered.
   * `unmetered`: the reply is paid by a subscription (Copilot's GitHub sign-in), not per token:
   * it is never priced from our table, and the agent is "not metered".
   */
  | {
      kind: 'usage';
      model: string;
      usage: Usage;
      ends: boolean;
      /** The CLI's own price of this part, when it reports one: counted as it streams for a model our table does not price. */
      costUsd?: number;
      unmetered?: boolean;
    }
  /** A tool call the agent made: its name, a short input, and how it ended. */
  | { kind: 'tool'; tool: string; input: unknown; isError: boolean; result: string };

export interface CliTurnResult {
  session?: string;
  /** The final answer the CLI returned as structured output, unchecked. */
  final?: unknown;
  /** The agent's last text (shown when its answer is malformed or missing). */
  text: string;
  turns: number;
  /** The total the CLI itself reported for this turn, when it reports one (undefined: not metered). */
  costUsd?: number;
  /** Why the turn ended without an answer, in the machinery's terms; absent: it answered. */
  failure?: CliFailure;
}

export type CliFailureKind =
  'missing' | 'too-old' | 'not-signed-in' | 'rate-limited' | 'max-turns' | 'budget' | 'no-answer' | 'crashed';

export interface CliFailure {
  kind: CliFailureKind;
  /** What the CLI said (sanitized, one line). */
  detail: string;
}

export interface CliAdapter {
  readonly runner: CliRunnerName;
  /** The program's usual name (`claude`, `codex`, …) and its sign-in variables (agentCli.<r>.env's default). */
  readonly defaults: { command: string; env: readonly string[] };
  /**
   * Paths the CLI reads as its own project configuration (Gemini's `.gemini/`): never in the
   * agent's worktree (like a denied file), so the project cannot loosen the runner's controls.
   */
  readonly hidden?: readonly string[];
  /** The CLI's own sign-in files, copied from the user's home into the agent's private home at every attempt. */
  readonly signIn?: SignIn;
  /** The endpoints (`host:port`) the CLI's model is reached at, from its variables: all the network the agent gets. */
  network(env: Record<string, string>): string[];
  /** The CLI brings a bubblewrap sandbox of its own, run inside ours (the door's `nested`). */
  readonly nestedSandbox?: boolean;
  /**
   * What the CLI says (in a failure's detail) when asked to resume a session it does not have:
   * sessions live on the machine that ran them, so a run resumed on another one (a pool worker
   * taking over a dead worker's run) starts the layer in a new session instead.
   */
  readonly sessionGone?: RegExp;
  /** What to tell the user to do about a failure of this CLI (install, upgrade, sign in…). */
  advice(kind: CliFailureKind): string;
  turn(request: CliTurnRequest): Promise<CliTurnResult>;
}
