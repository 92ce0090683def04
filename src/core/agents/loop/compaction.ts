/**
 * Long conversations (docs/pipeline.md "Context window"; issue 8 point 10). An agent that reads
 * large files would otherwise send every file it ever read with every later request, until a
 * request no longer fits the model's context window ("prompt is too long") and the agent dies.
 *
 * So before a request whose prompt would pass COMPACT_AT of what the window leaves for the
 * prompt, older tool results (and large inputs of older tool calls, e.g. a written file's
 * content) are replaced by short stubs, oldest first, until the prompt is back under
 * COMPACT_TO. The task and the latest turns stay whole. The steps are coarse on purpose: a
 * compaction rewrites the conversation from the first stub on, which the prompt cache then
 * writes again, so it happens once per many turns, not every turn. Stubs stay in the
 * conversation (a later attempt that continues it gets them too).
 */
import type { Message, ModelRequest, ToolCallPart, ToolResultPart } from '../../llm';

/** Compact when the prompt would pass this share of what the window leaves for it… */
export const COMPACT_AT = 0.8;
/** …down to this share, so the next compaction is many turns away. */
export const COMPACT_TO = 0.45;
/** Kept free besides the reply's max_tokens: token estimates are estimates. */
const SAFETY_MARGIN = 0.05;
/** Parts shorter than this are not worth a stub. */
const MIN_STUB_CHARS = 400;
/** How many of the latest messages stay whole while anything older can still be compacted (two turns). */
const PROTECTED_LATEST = 4;
/** Before any reply has calibrated it: code and JSON run around 3 characters per token. */
export const DEFAULT_CHARS_PER_TOKEN = 3;

const STUB_PREFIX = '[compacted';

/** The prompt tokens a model may take: its window minus the reply's room and a margin. */
export function promptLimit(contextWindow: number, maxTokens: number): number {
  // A small local model with a large max_tokens would leave nothing: the reply gets a quarter at most here.
  return Math.floor(contextWindow * (1 - SAFETY_MARGIN) - Math.min(maxTokens, contextWindow / 4));
}

/** Characters of what a request sends (system blocks, tools, messages), to scale by characters per token. */
export function requestChars(
  request: Pick<ModelRequest, 'shared' | 'system' | 'context' | 'tools' | 'messages'>,
): number {
  return (
    (request.shared?.length ?? 0) +
    request.system.length +
    (request.context?.length ?? 0) +
    JSON.stringify(request.tools).length +
    JSON.stringify(request.messages).length
  );
}

export interface CompactionResult {
  /** Parts replaced by stubs (or, as a last resort, cut). */
  stubbed: number;
  /** Characters removed from the conversation. */
  savedChars: number;
}

function summarizeInput(input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const shown = Object.entries(input as Record<string, unknown>)
    .filter(([, v]) => typeof v !== 'string' || v.length <= 200)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return shown ? ` (${shown})` : '';
}

/** The stub that replaces a tool result: what it was, how big, and how to get it back. */
function resultStub(result: ToolResultPart, call: ToolCallPart | undefined): string {
  const what = call ? `${call.name}${summarizeInput(call.input)}` : 'a tool call';
  return `${STUB_PREFIX} to fit the context window: the ${result.isError ? 'error' : 'result'} of ${what}, ${result.content.length.toLocaleString('en-US')} characters, was here; call the tool again if you still need it]`;
}

const isStub = (text: string): boolean => text.startsWith(STUB_PREFIX);

/** A tool call whose long string inputs (a written file's content…) are stubbed; undefined when none is long. */
function compactCall(call: ToolCallPart): ToolCallPart | undefined {
  if (!call.input || typeof call.input !== 'object' || Array.isArray(call.input)) return undefined;
  let changed = false;
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(call.input as Record<string, unknown>)) {
    if (typeof value === 'string' && value.length >= MIN_STUB_CHARS && !isStub(value)) {
      input[key] = `${STUB_PREFIX}: ${value.length.toLocaleString('en-US')} characters]`;
      changed = true;
    } else input[key] = value;
  }
  return changed ? { ...call, input } : undefined;
}

/**
 * Replaces older tool results and long tool inputs by stubs, oldest first, until `saveChars`
 * characters are saved. Changes `messages` in place (the conversation keeps them). The first
 * message (the task) and the latest PROTECTED_LATEST messages stay whole while anything else
 * can go; when that is not enough the protection shrinks to the latest turn, and as a last
 * resort the latest results are cut to what fits.
 */
export function compactMessages(messages: Message[], saveChars: number): CompactionResult {
  const calls = new Map<string, ToolCallPart>();
  for (const message of messages) {
    if (message.role === 'assistant')
      for (const part of message.content) if (part.type === 'tool_call') calls.set(part.id, part);
  }
  const result: CompactionResult = { stubbed: 0, savedChars: 0 };
  const done = (): boolean => result.savedChars >= saveChars;

  const compactUpTo = (end: number): void => {
    for (let i = 1; i < end && !done(); i++) {
      const message = messages[i] as Message;
      if (message.role === 'user') {
        const content = message.content.map((part) => {
          if (done() || part.type !== 'tool_result' || part.content.length < MIN_STUB_CHARS || isStub(part.content))
            return part;
          const stub = resultStub(part, calls.get(part.callId));
          result.stubbed++;
          result.savedChars += part.content.length - stub.length;
          return { ...part, content: stub };
        });
        messages[i] = { role: 'user', content };
      } else {
        const content = message.content.map((part) => {
          if (done() || part.type !== 'tool_call') return part;
          const compacted = compactCall(part);
          if (!compacted) return part;
          result.stubbed++;
          result.savedChars += JSON.stringify(part.input).length - JSON.stringify(compacted.input).length;
          return compacted;
        });
        messages[i] = { role: 'assistant', content };
      }
    }
  };

  compactUpTo(messages.length - PROTECTED_LATEST);
  compactUpTo(messages.length - 2);
  if (!done()) cutLatestResults(messages, saveChars - result.savedChars, result);
  return result;
}

/** Last resort: the latest tool results themselves are too large; keep the head of each, largest first. */
function cutLatestResults(messages: Message[], saveChars: number, result: CompactionResult): void {
  const last = messages.at(-1);
  if (!last || last.role !== 'user') return;
  let toSave = saveChars;
  const order = last.content
    .map((part, index) => ({ part, index }))
    .filter(
      (p): p is { part: ToolResultPart; index: number } =>
        p.part.type === 'tool_result' && p.part.content.length >= MIN_STUB_CHARS,
    )
    .sort((a, b) => b.part.content.length - a.part.content.length);
  const content = [...last.content];
  for (const { part, index } of order) {
    if (toSave <= 0) break;
    const keep = Math.max(MIN_STUB_CHARS, part.content.length - toSave - 200);
    if (keep >= part.content.length) continue;
    const notice = `\n${STUB_PREFIX}: cut to fit the context window; ${keep.toLocaleString('en-US')} of ${part.content.length.toLocaleString('en-US')} characters shown. Read the rest in smaller pieces (offset/limit).]`;
    const cut = part.content.slice(0, keep) + notice;
    toSave -= part.content.length - cut.length;
    result.savedChars += part.content.length - cut.length;
    result.stubbed++;
    content[index] = { ...part, content: cut };
  }
  messages[messages.length - 1] = { role: 'user', content };
}
