/**
 * `opencode run --format json`'s stream (one JSON object a line, docs/runners.md "opencode"),
 * read into our terms. Every event carries `sessionID`; `part` is the message part:
 *   - `step_start` — a model request begins;
 *   - `text` {part.text} — the assistant's text (the last one is the final answer);
 *   - `tool_use` {part.tool, part.state{status, input, output | error}} — a tool call, once done;
 *   - `step_finish` {part.reason, part.tokens{input, output, reasoning, cache{read, write}},
 *     part.cost} — a model reply ended: its usage (input without the cached part) and its price
 *     from opencode's model data (0 for a model it has no price for);
 *   - `error` {error{name, data{message}}} — the session failed (a provider error, a bad model).
 */
import type { Usage } from '../../llm';
import type { CliStreamEvent } from '../cliAgent/cliTypes';

interface OpencodeEvent {
  type?: string;
  sessionID?: string;
  part?: {
    type?: string;
    text?: string;
    tool?: string;
    reason?: string;
    cost?: number;
    tokens?: { input?: number; output?: number; reasoning?: number; cache?: { read?: number; write?: number } };
    state?: { status?: string; input?: unknown; output?: string; error?: string; title?: string };
  };
  error?: { name?: string; message?: string; data?: { message?: string; statusCode?: number; responseBody?: string } };
}

export class OpencodeStream {
  session?: string;
  /** The last text of the assistant (the final answer, when it ends with one). */
  text = '';
  /** Model replies finished. */
  steps = 0;
  /** Sum of opencode's own prices; stays 0 when it has none for the model. */
  costUsd = 0;
  /** What the `error` events said. */
  errors: string[] = [];
  private lastStepReason = '';

  constructor(
    private readonly model: string,
    private readonly onEvent: (event: CliStreamEvent) => void,
    /** Called after each finished model reply, with the count so far (the turn limit). */
    private readonly onStep: (steps: number) => void = () => undefined,
  ) {}

  /** Whether the agent ended on a reply that called no tool (its answer). */
  get answered(): boolean {
    return this.lastStepReason !== '' && this.lastStepReason !== 'tool-calls';
  }

  line(raw: string): void {
    const trimmed = raw.trim();
    if (!trimmed.startsWith('{')) return;
    let event: OpencodeEvent;
    try {
      event = JSON.parse(trimmed) as OpencodeEvent;
    } catch {
      return;
    }
    if (event.sessionID && event.sessionID !== this.session) {
      this.session = event.sessionID;
      this.onEvent({ kind: 'session', session: event.sessionID });
    }
    const part = event.part ?? {};
    switch (event.type) {
      case 'text':
        if (typeof part.text === 'string') this.text = part.text;
        return;
      case 'tool_use': {
        const state = part.state ?? {};
        if (state.status !== 'completed' && state.status !== 'error') return;
        const isError = state.status === 'error';
        this.onEvent({
          kind: 'tool',
          tool: part.tool ?? 'tool',
          input: state.input ?? {},
          isError,
          result: (isError ? state.error : state.output) ?? '',
        });
        return;
      }
      case 'step_finish': {
        this.steps++;
        this.lastStepReason = part.reason ?? 'stop';
        const cost = typeof part.cost === 'number' && part.cost > 0 ? part.cost : undefined;
        if (cost !== undefined) this.costUsd += cost;
        this.onEvent({
          kind: 'usage',
          model: this.model,
          usage: usageOf(part.tokens),
          ends: true,
          ...(cost !== undefined ? { costUsd: cost } : {}),
        });
        this.onStep(this.steps);
        return;
      }
      case 'error':
        this.errors.push(errorText(event.error));
        return;
      default:
        return;
    }
  }
}

/** opencode's input excludes what was read from the cache, like ours; reasoning is output. */
export function usageOf(tokens: NonNullable<OpencodeEvent['part']>['tokens']): Usage {
  return {
    input: tokens?.input ?? 0,
    output: (tokens?.output ?? 0) + (tokens?.reasoning ?? 0),
    cacheRead: tokens?.cache?.read ?? 0,
    cacheWrite: tokens?.cache?.write ?? 0,
  };
}

function errorText(error: OpencodeEvent['error']): string {
  if (!error) return 'unknown error';
  const message = error.data?.message ?? error.message ?? '';
  const status = error.data?.statusCode ? ` (HTTP ${error.data.statusCode})` : '';
  return `${error.name ?? 'Error'}: ${message}${status}`.trim();
}

/**
 * The final answer in the agent's last text: the text itself when it is JSON, else the JSON in
 * its last ```json fence, else from its first `{` to its last `}`; else the text (our check
 * refuses it and the agent is told once).
 */
export function answerIn(text: string): unknown {
  const candidates = [text.trim()];
  const fences = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)];
  if (fences.length > 0) candidates.push(fences.at(-1)![1]!.trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first !== -1 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // the next reading
    }
  }
  return text;
}
