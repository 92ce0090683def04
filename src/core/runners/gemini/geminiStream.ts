/**
 * The Gemini CLI's headless stream (`--output-format stream-json`, one JSON event a line) in our
 * terms: `init` names the session (journaled at once), `tool_use` / `tool_result` pairs become
 * tool calls, assistant `message` deltas after the last tool call are the final answer's text,
 * `error` events are warnings, and `result` ends the turn with its status and per-model tokens.
 */
import type { CliStreamEvent } from '../cliAgent/cliTypes';

export interface ModelStats {
  input_tokens?: number;
  output_tokens?: number;
  cached?: number;
  input?: number;
  thoughts?: number;
  tool?: number;
}

export interface GeminiResult {
  status: string;
  error?: { type?: string; message?: string };
  models: Record<string, ModelStats>;
}

interface StreamEvent {
  type?: string;
  session_id?: string;
  model?: string;
  role?: string;
  content?: string;
  delta?: boolean;
  tool_name?: string;
  tool_id?: string;
  parameters?: unknown;
  status?: string;
  output?: string;
  error?: { type?: string; message?: string };
  message?: string;
  severity?: string;
  stats?: { models?: Record<string, ModelStats> };
}

export class GeminiStream {
  session: string | undefined;
  model: string | undefined;
  result: GeminiResult | undefined;
  /** The assistant's text since its last tool call: the final answer, when the turn ends. */
  text = '';
  /** The last warning or error the stream reported. */
  warning = '';
  private readonly calls = new Map<string, { name: string; input: unknown }>();

  /** `responded`: a model response just ended in tool calls (its usage is in the session file now). */
  constructor(
    private readonly emit: (event: CliStreamEvent) => void,
    private readonly responded: () => void = () => undefined,
  ) {}

  take(line: string): void {
    let event: StreamEvent;
    try {
      event = JSON.parse(line) as StreamEvent;
    } catch {
      return;
    }
    switch (event.type) {
      case 'init':
        this.model = event.model;
        if (event.session_id && event.session_id !== this.session) {
          this.session = event.session_id;
          this.emit({ kind: 'session', session: event.session_id });
        }
        return;
      case 'message':
        if (event.role === 'assistant' && typeof event.content === 'string')
          this.text = event.delta ? this.text + event.content : event.content;
        return;
      case 'tool_use':
        this.text = '';
        this.responded();
        if (event.tool_id)
          this.calls.set(event.tool_id, { name: event.tool_name ?? 'tool', input: event.parameters ?? {} });
        return;
      case 'tool_result': {
        const call = event.tool_id ? this.calls.get(event.tool_id) : undefined;
        if (!call) return;
        this.calls.delete(event.tool_id!);
        const isError = event.status !== 'success';
        this.emit({
          kind: 'tool',
          tool: call.name,
          input: call.input,
          isError,
          result: event.output ?? event.error?.message ?? '',
        });
        return;
      }
      case 'error':
        this.warning = event.message ?? this.warning;
        return;
      case 'result':
        this.result = {
          status: event.status ?? 'error',
          ...(event.error ? { error: event.error } : {}),
          models: event.stats?.models ?? {},
        };
        return;
      default:
    }
  }
}

/**
 * The final answer: the text as JSON, or the JSON inside a ```json fence, or the outermost
 * `{…}` in it; else the text itself (our schema check refuses it and says why).
 */
export function parseAnswer(text: string): unknown {
  const trimmed = text.trim();
  const candidates = [trimmed];
  const fenced = [...trimmed.matchAll(/```(?:json)?\s*\n([\s\S]*?)\n?```/g)].map((m) => m[1]!).reverse();
  candidates.push(...fenced);
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first !== -1 && last > first) candidates.push(trimmed.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // the next reading
    }
  }
  return trimmed;
}
