import { APIConnectionError, APIError, APIUserAbortError } from 'openai/core/error';
import {
  cancelledError,
  CONTEXT_LENGTH_MESSAGE,
  contextSizes,
  LlmError,
  redact,
  retryAfterMs,
  type LlmErrorKind,
} from '../llmError';

/** Codes (error.code) of an exhausted quota or budget rather than a passing rate limit. */
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'budget_exceeded']);
/** How servers (Ollama, vLLM, LM Studio, gateways) say a model cannot call tools. */
const NO_TOOLS =
  /does not support tools|tools? (calling |use )?(is |are )?not supported|tool_choice.*not supported|function calling is not (enabled|supported)/i;
const OVERLOADED = /overloaded|capacity|server is busy|slow down/i;

const hints: Partial<Record<LlmErrorKind, string>> = {
  auth: 'Check the key (OPENAI_API_KEY, or the one stored with "Orchestrator: Set OpenAI-Compatible API Key") and providers.openai.baseURL.',
  'spend-limit': 'The account has no quota left; add credit or raise the limit, then run again.',
  network:
    'Could not reach the endpoint or the connection was cut; check providers.openai.baseURL and that the server runs.',
  'not-found': 'Check the model name after "openai:" (models.default / models.agents) against the endpoint\'s models.',
  unsupported: 'Pick a model that supports tool calls (function calling).',
  'context-length': "The conversation no longer fits the model's context window.",
};

function kindOf(error: APIError): LlmErrorKind {
  const status = error.status;
  const code = error.code ?? '';
  const message = error.message ?? '';
  if (QUOTA_CODES.has(code)) return 'spend-limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limit';
  if (
    code === 'context_length_exceeded' ||
    ((status === 400 || status === 413) && CONTEXT_LENGTH_MESSAGE.test(message))
  )
    return 'context-length';
  if (status !== undefined && status >= 400 && status < 500 && NO_TOOLS.test(message)) return 'unsupported';
  if (status === 404 || code === 'model_not_found') return 'not-found';
  if (status === 503 && OVERLOADED.test(message)) return 'overloaded';
  if (status === undefined || status >= 500 || status === 408) return 'server';
  return 'bad-request';
}

/** Anything the openai SDK (or the stream) threw, as one LlmError with a readable message. */
export function toLlmError(
  error: unknown,
  context: { apiKey?: string; model: string; partialOutput?: boolean },
): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof APIUserAbortError) return cancelledError(error);
  const partial = context.partialOutput === true;
  let kind: LlmErrorKind = 'network';
  let status: number | undefined;
  let retryAfter: number | undefined;
  let requestId: string | undefined;
  let what: string;
  if (error instanceof APIConnectionError) {
    what = error.message;
  } else if (error instanceof APIError) {
    kind = kindOf(error);
    status = error.status;
    requestId = error.requestID ?? undefined;
    retryAfter = retryAfterMs(error.headers);
    what = error.message;
  } else {
    // A body cut mid-stream surfaces as a plain error ("terminated") from fetch.
    what = error instanceof Error ? error.message : String(error);
  }
  const cutOff = partial ? ' The response was cut off after partial output.' : '';
  const hint = hints[kind] ? ` ${hints[kind]}` : '';
  const message = redact(
    `Model call to openai:${context.model} failed: ${what}${requestId ? ` (request ${requestId})` : ''}.${cutOff}${hint}`,
    context.apiKey,
  );
  return new LlmError(kind, message, {
    ...(status !== undefined ? { status } : {}),
    ...(requestId ? { requestId } : {}),
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    ...(kind === 'context-length' ? contextSizes(what) : {}),
    partialOutput: partial,
    cause: error,
  });
}
