import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk/core/error';
import {
  cancelledError,
  CONTEXT_LENGTH_MESSAGE,
  contextSizes,
  LlmError,
  redact,
  retryAfterMs,
  type LlmErrorKind,
} from '../llmError';

/** error_code values (error.details) by which the API marks a spend or credit limit. */
const SPEND_LIMIT_CODES = new Set([
  'enforced_spend_limit_reached',
  'contract_spend_limit_reached',
  'linked_organization_spend_limit_reached',
]);
/** The 400 messages the API uses for a spend limit or an empty credit balance. */
const SPEND_LIMIT_MESSAGE =
  /credit balance is too low|reached your specified (workspace )?API usage limits|spend limit/i;

interface ErrorBodyShape {
  error?: { type?: string; message?: string; details?: { error_code?: string } | null };
}

/** Whether an API error body (parsed JSON) describes a spend/credit limit rather than a transient limit. */
export function isSpendLimitBody(status: number, body: unknown): boolean {
  const error = (body as ErrorBodyShape | null | undefined)?.error;
  if (!error) return false;
  if (status === 402 || error.type === 'billing_error') return true;
  if (error.details?.error_code && SPEND_LIMIT_CODES.has(error.details.error_code)) return true;
  return (status === 400 || status === 429) && SPEND_LIMIT_MESSAGE.test(error.message ?? '');
}

const hints: Record<LlmErrorKind, string> = {
  auth: 'Check the API key (ANTHROPIC_API_KEY) and its permissions.',
  'spend-limit':
    'The account has reached a spend or credit limit; raise it in the Claude Console (Billing) and run again.',
  'rate-limit': 'The rate limit is still exceeded after retrying; wait and run again.',
  overloaded: 'The API is overloaded; try again shortly.',
  network: 'Could not reach the API or the connection was cut; check the network and ANTHROPIC_BASE_URL.',
  'bad-request': 'The request was rejected.',
  'context-length': "The conversation no longer fits the model's context window.",
  'not-found': 'Check the model id (models.default / models.agents in .claude/orchestrator.yaml).',
  unsupported: '',
  cancelled: '',
  server: 'The API returned a server error; try again shortly.',
};

function kindOfApiError(error: APIError): LlmErrorKind {
  const status = error.status;
  if (status !== undefined && isSpendLimitBody(status, error.error)) return 'spend-limit';
  if (status === 401 || status === 403 || error.type === 'authentication_error' || error.type === 'permission_error')
    return 'auth';
  if (status === 429 || error.type === 'rate_limit_error') return 'rate-limit';
  if (status === 529 || error.type === 'overloaded_error') return 'overloaded';
  if ((status !== undefined && status >= 500) || error.type === 'api_error' || error.type === 'timeout_error')
    return 'server';
  if (status === undefined) return 'server';
  if (status === 404 || error.type === 'not_found_error') return 'not-found';
  if (status === 413 || CONTEXT_LENGTH_MESSAGE.test(error.apiMessage ?? error.message)) return 'context-length';
  return 'bad-request';
}

/** Turns anything the SDK (or the stream) threw into one LlmError with a readable message. */
export function toLlmError(
  error: unknown,
  context: { apiKey?: string; model: string; partialOutput?: boolean },
): LlmError {
  if (error instanceof LlmError) return error;
  const partial = context.partialOutput === true;
  if (error instanceof APIUserAbortError) return cancelledError(error);

  let kind: LlmErrorKind = 'network';
  let status: number | undefined;
  let requestId: string | undefined;
  let retryAfter: number | undefined;
  let what: string;
  if (error instanceof APIConnectionError) {
    what = error.message;
  } else if (error instanceof APIError) {
    kind = kindOfApiError(error);
    status = error.status;
    requestId = error.requestID ?? undefined;
    retryAfter = retryAfterMs(error.headers);
    what = `${status ?? 'stream'} ${error.type ?? 'error'}: ${error.apiMessage ?? error.message}`;
  } else {
    // A body cut mid-stream surfaces as a plain error from fetch ("terminated") or the SDK.
    what = error instanceof Error ? error.message : String(error);
  }

  const cutOff = partial ? ' The response was cut off after partial output.' : '';
  const hint = hints[kind] ? ` ${hints[kind]}` : '';
  const request = requestId ? ` (request ${requestId})` : '';
  const message = redact(`Model call to ${context.model} failed: ${what}${request}.${cutOff}${hint}`, context.apiKey);
  return new LlmError(kind, message, {
    ...(status !== undefined ? { status } : {}),
    ...(requestId ? { requestId } : {}),
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    ...(kind === 'context-length' ? contextSizes(what) : {}),
    partialOutput: partial,
    cause: error,
  });
}
