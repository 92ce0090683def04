/**
 * Claude Code's stream in our terms. Usage is counted once per model reply: its input when the
 * reply starts (so a cap is enforced before the reply's tools can run), its output when the reply
 * ends (the `assistant` events repeat the reply's start usage for each block; docs/runners.md).
 * Tool calls are reported when their result arrives; the exact totals come with `result`.
 */
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { Usage } from '../../llm';
import type { CliFailure, CliStreamEvent, CliTurnResult } from '../cliAgent/cliTypes';

interface ApiUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

const usageOf = (u: ApiUsage | undefined, output: boolean): Usage => ({
  input: output ? 0 : (u?.input_tokens ?? 0),
  output: output ? (u?.output_tokens ?? 0) : 0,
  cacheWrite: output ? 0 : (u?.cache_creation_input_tokens ?? 0),
  cacheRead: output ? 0 : (u?.cache_read_input_tokens ?? 0),
});

export class ClaudeStream {
  version: string | undefined;
  private session: string | undefined;
  private readonly calls = new Map<string, { name: string; input: unknown }>();
  private model = '';
  private text = '';
  private result: CliTurnResult | undefined;

  constructor(private readonly emit: (event: CliStreamEvent) => void) {}

  take(message: SDKMessage): void {
    if (message.session_id && message.session_id !== this.session) {
      this.session = message.session_id;
      this.emit({ kind: 'session', session: message.session_id });
    }
    switch (message.type) {
      case 'system':
        if (message.subtype === 'init') this.version = message.claude_code_version;
        return;
      case 'stream_event':
        return this.streamEvent(
          message.event as { type: string; message?: { model?: string; usage?: ApiUsage }; usage?: ApiUsage },
        );
      case 'assistant':
        for (const block of message.message.content) {
          if (block.type === 'tool_use') this.calls.set(block.id, { name: block.name, input: block.input });
          else if (block.type === 'text' && block.text.trim()) this.text = block.text;
        }
        return;
      case 'user':
        return this.toolResults(message.message.content);
      case 'result':
        this.result = this.resultOf(message);
        return;
      default:
    }
  }

  private streamEvent(event: { type: string; message?: { model?: string; usage?: ApiUsage }; usage?: ApiUsage }): void {
    if (event.type === 'message_start') {
      this.model = event.message?.model ?? this.model;
      this.emit({ kind: 'usage', model: this.model, usage: usageOf(event.message?.usage, false), ends: false });
    } else if (event.type === 'message_delta') {
      this.emit({ kind: 'usage', model: this.model, usage: usageOf(event.usage, true), ends: true });
    }
  }

  private toolResults(content: unknown): void {
    if (!Array.isArray(content)) return;
    for (const block of content as { type?: string; tool_use_id?: string; is_error?: boolean; content?: unknown }[]) {
      if (block.type !== 'tool_result' || !block.tool_use_id) continue;
      const call = this.calls.get(block.tool_use_id);
      if (!call) continue;
      this.calls.delete(block.tool_use_id);
      this.emit({
        kind: 'tool',
        tool: call.name,
        input: call.input,
        isError: block.is_error === true,
        result: textOf(block.content),
      });
    }
  }

  private resultOf(message: Extract<SDKMessage, { type: 'result' }>): CliTurnResult {
    const base = { session: message.session_id, turns: message.num_turns, costUsd: message.total_cost_usd };
    if (message.subtype === 'success') {
      const failure = message.is_error ? apiFailure(message.api_error_status, message.result) : undefined;
      return {
        ...base,
        text: message.result || this.text,
        ...(message.structured_output !== undefined ? { final: message.structured_output } : {}),
        ...(failure ? { failure } : {}),
      };
    }
    const detail = message.errors.join('; ');
    if (message.subtype === 'error_max_turns')
      return {
        ...base,
        text: this.text,
        failure: { kind: 'max-turns', detail: `stopped after ${message.num_turns} turns` },
      };
    if (message.subtype === 'error_max_budget_usd')
      return {
        ...base,
        text: this.text,
        failure: { kind: 'budget', detail: `stopped at $${message.total_cost_usd.toFixed(4)}` },
      };
    // Structured output it could not produce: the orchestrator's answer check sends it back.
    if (message.subtype === 'error_max_structured_output_retries') return { ...base, text: this.text };
    return { ...base, text: this.text, failure: apiFailure(undefined, detail) ?? { kind: 'crashed', detail } };
  }

  get hasResult(): boolean {
    return this.result !== undefined;
  }

  /** What the turn came to, also when the stream was cut (the process ended, or was ended). */
  outcome(): CliTurnResult {
    if (this.result) return this.result;
    return {
      ...(this.session ? { session: this.session } : {}),
      text: this.text,
      turns: 0,
      failure: { kind: 'no-answer', detail: 'it exited without a result' },
    };
  }
}

function apiFailure(status: number | null | undefined, text: string): CliFailure | undefined {
  if (status === 401 || status === 403 || /invalid api key|authentication_error|not logged in|\/login/i.test(text))
    return { kind: 'not-signed-in', detail: firstLine(text) };
  if (status === 429 || /rate_limit|rate limit|usage limit/i.test(text))
    return { kind: 'rate-limited', detail: firstLine(text) };
  if (status !== undefined && status !== null) return { kind: 'crashed', detail: firstLine(text) };
  return undefined;
}

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c: { type?: string; text?: string }) => (c.type === 'text' ? (c.text ?? '') : '')).join('');
}
