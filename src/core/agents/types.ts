import type { AgentMode, AgentOutcome, EventSink } from '../events';
import type { Budget, LlmErrorKind, Message, ModelClient, Usage } from '../llm';

export type FinalToolName =
  'submit_spec' | 'submit_result' | 'submit_review' | 'submit_diagnosis' | 'submit_audit' | 'submit_proof';

/** One agent invocation: who it is, what it may touch, what ends it. */
export interface AgentDefinition {
  /** Layer or role name: 'backend', 'spec', 'review', 'diagnose', … */
  name: string;
  mode: AgentMode;
  attempt: number;
  model: string;
  maxTokens: number;
  /** Stable context other agents of the run send alike (cached, sent first). */
  shared?: string;
  /** Stable instructions (cached). */
  system: string;
  /** Stable context: compiled context file, registry entry, memory… (cached). */
  context?: string;
  /**
   * What this attempt adds: the first user message of a new conversation (tasks, retry
   * error output, review issues…), or the next user message of `continues`.
   */
  task: string;
  /**
   * A previous attempt's conversation (AgentResult.conversation) to continue instead of
   * starting afresh: it is sent again unchanged (so it is read from the prompt cache) and
   * `task` follows it. Turn limit and loop detection still count this attempt only.
   */
  continues?: readonly Message[];
  /** Globs the agent may write/edit/delete; empty means read-only tools only. */
  owns: string[];
  /**
   * Globs no change may touch even where `owns` covers them: the run's frozen proof tests
   * (docs/proof.md), refused like a write outside `owns`, with their own reason.
   */
  frozen?: readonly string[];
  finalTool: FinalToolName;
  maxTurns: number;
}

/**
 * Checks a final answer that passed its schema against what the run needs (e.g. every task
 * of a spec owned by a layer). A reason refuses it: the model gets an is_error result with
 * that reason and the loop goes on, so the agent fixes its answer.
 */
export type FinalCheck<Final> = (value: Final) => string | undefined | Promise<string | undefined>;

/** Summary of the file changes one model turn asks for, checked before any is applied. */
export interface TurnEffects {
  agent: string;
  paths: string[];
  /** The paths among `paths` that do not exist yet (new files). */
  created: string[];
  deletedLines: number;
  /** Each changed path's text after the turn, when known (null: deleted). */
  after?: Record<string, string | null>;
}

export interface AgentEnvironment {
  workspace: string;
  /** The config's `privacy.deny`, added to the built-in deny list (the guard never lets agents near them). */
  deny?: readonly string[];
  client: ModelClient;
  budget: Budget;
  emit: EventSink;
  signal?: AbortSignal;
  /** Asked before a turn's mutating tool calls run; false refuses them all (is_error results). */
  approveTurn?: (effects: TurnEffects) => Promise<boolean>;
  /**
   * Awaited before a turn's mutating tool calls (e.g. until the run's checkpoint exists);
   * a rejection ends the agent with an error and changes nothing.
   */
  beforeWrites?: () => Promise<void>;
}

export interface AgentResult<Final = unknown> {
  outcome: AgentOutcome;
  /** The validated input of the final tool when outcome is 'submitted'. */
  final?: Final;
  turns: number;
  usage: Usage;
  costUsd: number;
  filesWritten: string[];
  filesCreated: string[];
  filesDeleted: string[];
  error?: string;
  /** When a model call ended the agent: its kind (and whether API weather was waited out to the end). */
  modelError?: { kind: LlmErrorKind; weatherExhausted: boolean };
  /**
   * The whole conversation when the agent submitted, ending with the results of its last
   * turn's tool calls, so a later attempt can continue it (AgentDefinition.continues).
   */
  conversation?: Message[];
}
