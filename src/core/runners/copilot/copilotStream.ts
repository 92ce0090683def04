/**
 * Copilot's session events in our terms (the SDK's `SessionEvent`, docs/runners.md "Copilot
 * CLI"). Usage comes per model call (`assistant.usage`, ephemeral) once the reply has ended and
 * before its tools run, so a budget can end the agent mid-turn; the root agent's model calls are
 * its turns. Tool calls are reported when they complete; the answer is the last message with text.
 */
import type { SessionEvent } from '@github/copilot-sdk';
import type { Usage } from '../../llm';
import type { CliFailure, CliStreamEvent } from '../cliAgent/cliTypes';

export class CopilotStream {
  /** Model calls of the root agent in this turn. */
  turns = 0;
  /** The last message with text: the final answer. */
  text = '';
  failure: CliFailure | undefined;
  idle = false;
  private readonly calls = new Map<string, { name: string; input: unknown }>();

  constructor(
    private readonly emit: (event: CliStreamEvent) => void,
    /** Not metered: Copilot's own models through a GitHub sign-in (a subscription). */
    private readonly unmetered: boolean,
  ) {}

  private usage(
    model: string,
    d: { inputTokens?: number; outputTokens?: number; cacheReadTokens?: number; cacheWriteTokens?: number },
  ): void {
    const cacheRead = d.cacheReadTokens ?? 0;
    const cacheWrite = d.cacheWriteTokens ?? 0;
    // Copilot's inputTokens include the cached part (seen: 5732 input = 5663 read + 69 written).
    const usage: Usage = {
      input: Math.max(0, (d.inputTokens ?? 0) - cacheRead - cacheWrite),
      output: d.outputTokens ?? 0,
      cacheRead,
      cacheWrite,
    };
    this.emit({ kind: 'usage', model, usage, ends: true, ...(this.unmetered ? { unmetered: true } : {}) });
  }

  take(event: SessionEvent): void {
    // A sub-agent's events carry its id; ours has none (its sub-agents are not among its tools anyway).
    if ('agentId' in event && event.agentId) return;
    switch (event.type) {
      case 'assistant.usage':
        this.turns++;
        return this.usage(event.data.model, event.data);
      case 'session.compaction_complete': {
        // Copilot's own compaction of a long conversation is a model call too (not a turn of the agent).
        const used = event.data.compactionTokensUsed;
        if (used) this.usage(used.model ?? 'copilot', used);
        return;
      }
      case 'assistant.message':
        if (event.data.content.trim()) this.text = event.data.content;
        return;
      case 'tool.execution_start':
        this.calls.set(event.data.toolCallId, { name: event.data.toolName, input: event.data.arguments ?? {} });
        return;
      case 'tool.execution_complete': {
        const call = this.calls.get(event.data.toolCallId);
        this.calls.delete(event.data.toolCallId);
        const input = call?.input ?? {};
        const result = event.data.success
          ? (event.data.result?.content ?? '')
          : failedToolText(event.data.error?.message, input);
        this.emit({ kind: 'tool', tool: call?.name ?? 'tool', input, isError: !event.data.success, result });
        return;
      }
      case 'session.error':
        this.failure ??= failureOfError(event.data.errorType, event.data.message, event.data.statusCode);
        return;
      case 'session.idle':
        this.idle = true;
        return;
      default:
    }
  }
}

/**
 * A failed tool's text. The event's message leaves out the path the model was told about ("Path
 * does not exist" for a view of `/x`, which the model reads as "Path /x does not exist."): it is
 * put back from the call's input, so a file the sandbox hides is seen as refused (sandbox.denied).
 */
function failedToolText(message: string | undefined, input: unknown): string {
  const path = (input as { path?: unknown } | null)?.path;
  if (message === 'Path does not exist' && typeof path === 'string') return `Path ${path} does not exist.`;
  return message ?? 'failed';
}

/** A `session.error` (or an error the SDK threw) as one of the machinery's failures. */
export function failureOfError(errorType: string | undefined, message: string, status?: number): CliFailure {
  const detail =
    message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? message;
  if (
    errorType === 'authentication' ||
    errorType === 'authorization' ||
    status === 401 ||
    status === 403 ||
    /no github oauth token|not authenticated|not logged in|unauthori[sz]ed|invalid api key|authentication_error/i.test(
      message,
    )
  )
    return { kind: 'not-signed-in', detail };
  if (errorType === 'rate_limit' || errorType === 'quota' || status === 429 || /rate.?limit|quota|429/i.test(message))
    return { kind: 'rate-limited', detail };
  if (/protocol version mismatch|unknown option|unexpected argument/i.test(message)) return { kind: 'too-old', detail };
  if (/ENOENT|not found|no such file/i.test(message) && /spawn/i.test(message)) return { kind: 'missing', detail };
  return { kind: 'crashed', detail };
}

/** The final message as our answer: its JSON (also inside a ```json fence), else the text itself (the machinery's check refuses it). */
export function parseAnswer(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/.exec(trimmed)?.[1];
  try {
    return JSON.parse(fenced ?? trimmed);
  } catch {
    return text;
  }
}
