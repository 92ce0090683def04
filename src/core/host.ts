import type { EngineEvent } from './events';
import type { Question } from './questions';
import type { ConfirmationRequest, SpecDecision, SpecDecisionRequest } from './requests';

export type { ConfirmationRequest, SpecDecision, SpecDecisionRequest } from './requests';

/**
 * A question the engine asks its host (questions.ts), as the journal keeps it (`question`: its id,
 * kind, words, wait) with what it asks: a gate's spec or documents, or a confirmation's (or a
 * placement's) request.
 */
export type HostQuestion =
  | { readonly question: Question; readonly gate: SpecDecisionRequest }
  | { readonly question: Question; readonly confirmation: ConfirmationRequest };

/**
 * The question is not answered in this process: it waits where the host showed it (a GitHub
 * comment, the portal) and the run is set aside; the answer, given later in any process through the
 * engine's `answerQuestion(runId, questionId, answer)`, continues the run. `why` is said in the journal.
 */
export interface Parked {
  readonly parked: string;
}

/** A host's answer: a gate's decision, a confirmation's (or a placement's) yes or no, or parked. */
export type HostAnswer = SpecDecision | { readonly allowed: boolean } | Parked;

/**
 * The one interface through which the editor-independent engine reaches its host:
 * the VS Code extension, the CLI, or an in-memory test host.
 */
export interface Host {
  /**
   * A question (a gate, a confirmation, a placement): the answer, or parked. A confirmation no one
   * can answer is no; a gate no one can answer now is saved (`{ action: 'save' }`) or parked.
   */
  ask(asked: HostQuestion): Promise<HostAnswer>;
  /** Every engine event, in order; the host renders progress from them. */
  onEvent(event: EngineEvent): void;
  /** The Anthropic API key, from SecretStorage or ANTHROPIC_API_KEY; never logged. */
  getApiKey(): Promise<string | undefined>;
  /**
   * Another provider's key, e.g. `openai` (OPENAI_API_KEY, or the editor's SecretStorage); never
   * logged. Optional: a host without it offers no keys beyond Anthropic's.
   */
  getProviderKey?(provider: string): Promise<string | undefined>;
  /** Commands from the workspace (validate, sync) run only when this is true. */
  isTrusted(): boolean;
}

/** How a host answers each kind of question: `ask` is these two, told apart. */
export interface AnswerWays {
  gate(request: SpecDecisionRequest): Promise<SpecDecision | Parked>;
  confirm(request: ConfirmationRequest): Promise<boolean | Parked>;
}

/** A host's `ask` by its two ways: a gate's decision, or a confirmation's yes or no (as `{ allowed }`). */
export async function answerBy(asked: HostQuestion, ways: AnswerWays): Promise<HostAnswer> {
  if ('gate' in asked) return ways.gate(asked.gate);
  const answer = await ways.confirm(asked.confirmation);
  return typeof answer === 'boolean' ? { allowed: answer } : answer;
}

export const isParked = (answer: HostAnswer): answer is Parked => 'parked' in answer;
