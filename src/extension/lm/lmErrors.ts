/**
 * A failed request to one of the editor's models, in the engine's error kinds (so the API
 * weather policy waits out what passes and stops on what does not) with a message that says
 * what to do. Pure: the LanguageModelError is read by its name and code.
 *
 *   NoPermissions  the user did not allow Orchestrator to use the model    → auth
 *   NotFound       the model went away (extension disabled, signed out)    → not-found
 *   Blocked        the provider refuses: a rate limit (waited out) or a quota or plan limit
 *                  (stops the run, resumable)                              → rate-limit / spend-limit
 *   anything else  read from its message (context window, rate, server, network), else a stop
 */
import type { LlmErrorKind } from '../../core/llm';

export interface LmFailure {
  kind: LlmErrorKind;
  message: string;
}

const RATE = /rate.?limit|too many requests|\b429\b|try again (later|in)|retry after/i;
const CONTEXT =
  /context (length|window)|prompt is too long|too many tokens|token limit|maximum context|input is too long/i;
const OVERLOADED = /overloaded|\b529\b|capacity/i;
const SERVER = /\b5\d\d\b|server error|internal error|service unavailable|bad gateway/i;
const NETWORK =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up|network|fetch failed|connection (closed|reset)/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

const fieldsOf = (error: unknown): ErrorLike =>
  typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };

/** The error's own text and its cause's, on one line. */
function detailOf(error: ErrorLike): string {
  const own = typeof error.message === 'string' ? error.message.trim() : '';
  const cause = error.cause === undefined ? undefined : fieldsOf(error.cause).message;
  const causeText = typeof cause === 'string' && cause.trim() && !own.includes(cause.trim()) ? cause.trim() : '';
  return [own, causeText].filter(Boolean).join(': ').replace(/\s+/g, ' ');
}

/** True when the error is VS Code's cancellation (the run was cancelled while the request ran). */
export const isCancellation = (error: unknown): boolean => {
  const { name, message } = fieldsOf(error);
  return name === 'Canceled' || name === 'CancellationError' || (name === 'Error' && message === 'Canceled');
};

/**
 * `model`: the configured id (`vscode-lm:copilot/gpt-4o`); `aborted`: the run's signal fired
 * (then any failure is the cancellation itself).
 */
export function classifyLmFailure(error: unknown, model: string, aborted: boolean): LmFailure {
  if (aborted || isCancellation(error)) return { kind: 'cancelled', message: `The request to ${model} was cancelled.` };
  const fields = fieldsOf(error);
  const detail = detailOf(fields) || 'no details';
  const code = fields.name === 'LanguageModelError' && typeof fields.code === 'string' ? fields.code : undefined;
  switch (code) {
    case 'NoPermissions':
      return {
        kind: 'auth',
        message: `Orchestrator may not use the editor's model ${model} (NoPermissions: ${detail}). Allow it when VS Code asks, or under Accounts → Manage Language Model Access, then resume the run.`,
      };
    case 'NotFound':
      return {
        kind: 'not-found',
        message: `The editor's model ${model} is not available any more (NotFound: ${detail}): the extension that provides it may be disabled or signed out. Choose another model (Orchestrator: Use the Editor's Models), then resume the run.`,
      };
    case 'Blocked':
      return RATE.test(detail)
        ? { kind: 'rate-limit', message: `The editor's model ${model} is rate limited (Blocked: ${detail}).` }
        : {
            kind: 'spend-limit',
            message: `The editor's model ${model} refused the request (Blocked: ${detail}): a quota or plan limit of its provider is reached. Resume the run once it allows more requests, or choose another model.`,
          };
  }
  const failed = `The request to the editor's model ${model} failed: ${detail}`;
  if (CONTEXT.test(detail)) return { kind: 'context-length', message: failed };
  if (RATE.test(detail)) return { kind: 'rate-limit', message: failed };
  if (OVERLOADED.test(detail)) return { kind: 'overloaded', message: failed };
  if (SERVER.test(detail)) return { kind: 'server', message: failed };
  if (NETWORK.test(detail)) return { kind: 'network', message: failed };
  return { kind: 'bad-request', message: failed };
}
