/**
 * Responses API answers: a JSON response object, or the SSE stream of semantic events
 * (`response.created`, `response.in_progress`, `response.output_item.added`,
 * `response.content_part.added`, `response.output_text.delta`, `response.function_call_arguments.delta`,
 * `response.custom_tool_call_input.delta`, the matching `.done` events, `response.completed`
 * with usage), and the faults: a dropped connection, `response.failed` in a 200 stream.
 * Errors outside a stream use OpenAI's envelope (chatCompletions/responders.ts).
 */
import type OpenAI from 'openai';
import {
  inputText,
  jsonReplyDue,
  pause,
  promptUsage,
  split,
  streamFrames,
  type CachedPromptExchange,
  type Interruption,
} from '../modelApi/wire';
import type { ScriptedReply } from '../messagesApi/types';

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;
type OutputItem = OpenAI.Responses.ResponseOutputItem;

export interface ResponsesExchange extends CachedPromptExchange {
  /** Tools the request declared as `custom` (freeform input, e.g. Codex's apply_patch). */
  customTools: Set<string>;
  nextId: (prefix: string) => string;
}

function usageOf(ex: ResponsesExchange, reply: ScriptedReply): OpenAI.Responses.ResponseUsage {
  const { prompt: input, cached, output } = promptUsage(ex, reply);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** The finished output items of a reply: its text as one message, then each tool call. */
function outputItems(ex: ResponsesExchange, reply: ScriptedReply): OutputItem[] {
  const items: OutputItem[] = [];
  const text = reply.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
  if (text)
    items.push({
      id: ex.nextId('msg'),
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text, annotations: [] }],
    });
  for (const b of reply.content) {
    if (b.type !== 'tool_use') continue;
    const callId = b.id ?? ex.nextId('call');
    if (ex.customTools.has(b.name)) {
      items.push({
        id: ex.nextId('ctc'),
        type: 'custom_tool_call',
        call_id: callId,
        name: b.name,
        input: inputText(b.input),
      } as OutputItem);
    } else {
      items.push({
        id: ex.nextId('fc'),
        type: 'function_call',
        call_id: callId,
        name: b.name,
        arguments: inputText(b.input),
        status: 'completed',
      });
    }
  }
  return items;
}

function responseObject(
  ex: ResponsesExchange,
  reply: ScriptedReply,
  status: OpenAI.Responses.ResponseStatus,
  output: OutputItem[],
  usage?: OpenAI.Responses.ResponseUsage,
): OpenAI.Responses.Response {
  return {
    id: `resp_${ex.requestId}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: reply.model ?? ex.model,
    output,
    output_text: '',
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    metadata: null,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    ...(usage ? { usage } : {}),
  } as unknown as OpenAI.Responses.Response;
}

const finalStatus = (reply: ScriptedReply): OpenAI.Responses.ResponseStatus =>
  reply.stop_reason === 'max_tokens' ? 'incomplete' : 'completed';

export async function sendResponsesJson(ex: ResponsesExchange, reply: ScriptedReply): Promise<void> {
  if (!(await jsonReplyDue(ex, reply))) return;
  ex.responseStarted?.();
  ex.res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': ex.requestId });
  ex.res.end(JSON.stringify(responseObject(ex, reply, finalStatus(reply), outputItems(ex, reply), usageOf(ex, reply))));
}

type Unnumbered = StreamEvent extends infer E ? (E extends StreamEvent ? Omit<E, 'sequence_number'> : never) : never;

/** The events that build one output item, from `output_item.added` to `output_item.done`. */
function itemEvents(item: OutputItem, output_index: number): Unnumbered[] {
  const item_id = ('id' in item ? item.id : undefined) ?? '';
  if (item.type === 'message') {
    const text = item.content.map((c) => (c.type === 'output_text' ? c.text : '')).join('');
    const empty = { type: 'output_text' as const, text: '', annotations: [] };
    return [
      { type: 'response.output_item.added', output_index, item: { ...item, status: 'in_progress', content: [] } },
      { type: 'response.content_part.added', output_index, item_id, content_index: 0, part: empty },
      ...split(text, 3).map((delta) => ({
        type: 'response.output_text.delta' as const,
        output_index,
        item_id,
        content_index: 0,
        delta,
        logprobs: [],
      })),
      { type: 'response.output_text.done', output_index, item_id, content_index: 0, text, logprobs: [] },
      { type: 'response.content_part.done', output_index, item_id, content_index: 0, part: { ...empty, text } },
      { type: 'response.output_item.done', output_index, item },
    ];
  }
  if (item.type === 'function_call') {
    return [
      { type: 'response.output_item.added', output_index, item: { ...item, arguments: '', status: 'in_progress' } },
      ...split(item.arguments, 4).map((delta) => ({
        type: 'response.function_call_arguments.delta' as const,
        output_index,
        item_id,
        delta,
      })),
      { type: 'response.function_call_arguments.done', output_index, item_id, arguments: item.arguments },
      { type: 'response.output_item.done', output_index, item },
    ];
  }
  const custom = item as OpenAI.Responses.ResponseCustomToolCall;
  return [
    { type: 'response.output_item.added', output_index, item: { ...custom, input: '' } },
    ...split(custom.input, 4).map((delta) => ({
      type: 'response.custom_tool_call_input.delta' as const,
      output_index,
      item_id,
      delta,
    })),
    { type: 'response.custom_tool_call_input.done', output_index, item_id, input: custom.input },
    { type: 'response.output_item.done', output_index, item },
  ] as Unnumbered[];
}

/** `afterContentEvents` counts the events after response.created and response.in_progress; an in-stream error is `response.failed`. */
export async function sendResponsesStream(
  ex: ResponsesExchange,
  reply: ScriptedReply,
  interruption?: Interruption,
): Promise<void> {
  if (!(await pause(reply.beforeMs, ex.gone))) return;
  const items = outputItems(ex, reply);
  const status = finalStatus(reply);
  const head: Unnumbered[] = [
    { type: 'response.created', response: responseObject(ex, reply, 'in_progress', []) },
    { type: 'response.in_progress', response: responseObject(ex, reply, 'in_progress', []) },
  ];
  const body = items.flatMap((item, i) => itemEvents(item, i));
  const final = responseObject(ex, reply, status, items, usageOf(ex, reply));
  const tail: Unnumbered[] = [
    status === 'incomplete'
      ? { type: 'response.incomplete', response: final }
      : { type: 'response.completed', response: final },
  ];
  let events = [...head, ...body, ...tail];
  if (interruption) {
    events = [...head, ...body.slice(0, interruption.afterContentEvents)];
    if (interruption.how !== 'drop') {
      const overloaded = interruption.how === 'overloaded_error';
      const failed = responseObject(ex, reply, 'failed', []);
      failed.error = {
        code: 'server_error',
        message: overloaded
          ? 'The server is overloaded or not ready yet.'
          : 'The server had an error while processing your request.',
      };
      events.push({ type: 'response.failed', response: failed });
    }
  }

  const frames = events.map(
    (event, sequence_number) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number })}\n\n`,
  );
  if (
    !(await streamFrames(ex, reply, frames, head.length + body.length + tail.length, { 'x-request-id': ex.requestId }))
  )
    return;
  if (interruption?.how === 'drop') ex.res.socket?.destroy();
  else ex.res.end();
}
