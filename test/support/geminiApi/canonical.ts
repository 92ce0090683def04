/**
 * A Gemini API request (`models/*:streamGenerateContent`, `generateContent`) seen as the Messages
 * API would carry it, so tests and the scripted-agent helpers (lastToolResults, routeByAgent…) read
 * a Gemini CLI request as they read any other: `systemInstruction` becomes the system text, a
 * `model` turn an assistant message, `functionCall` parts tool_use blocks, `functionResponse` parts
 * tool_result blocks of a user message. Thought parts are set aside (nothing a script reads).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { appendBlocks, messagesBody, toolOf } from '../modelApi/canonical';

/** A part of a Gemini `Content`, as the CLI sends it. */
export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response?: Record<string, unknown> };
  inlineData?: { mimeType: string; data: string };
}

export interface GeminiContent {
  role?: 'user' | 'model' | string;
  parts: GeminiPart[];
}

/** The parts of a GenerateContentRequest body the Gemini CLI sends. */
export interface GeminiBody {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent | string;
  tools?: {
    functionDeclarations?: {
      name: string;
      description?: string;
      parameters?: Record<string, unknown>;
      parametersJsonSchema?: Record<string, unknown>;
    }[];
  }[];
  generationConfig?: Record<string, unknown>;
  toolConfig?: unknown;
}

type Block = Anthropic.Messages.ContentBlockParam;

const textOfContent = (content: GeminiContent | string | undefined): string =>
  typeof content === 'string' ? content : (content?.parts ?? []).map((p) => p.text ?? '').join('');

/** What a functionResponse carried back to the model, as the text a tool_result holds. */
function responseText(response: Record<string, unknown> | undefined): string {
  if (!response) return '';
  const { output, error } = response as { output?: unknown; error?: unknown };
  if (typeof output === 'string') return output;
  if (typeof error === 'string') return error;
  return JSON.stringify(response);
}

export function canonicalBody(
  body: GeminiBody,
  model: string,
  stream: boolean,
): Anthropic.Messages.MessageCreateParams {
  const messages: Anthropic.Messages.MessageParam[] = [];
  let calls = 0;
  for (const content of body.contents ?? []) {
    const role = content.role === 'model' ? 'assistant' : 'user';
    const blocks: Block[] = [];
    for (const part of content.parts ?? []) {
      if (part.thought) continue;
      if (part.functionCall) {
        const id = part.functionCall.id ?? `call_${calls++}`;
        blocks.push({ type: 'tool_use', id, name: part.functionCall.name, input: part.functionCall.args ?? {} });
      } else if (part.functionResponse) {
        blocks.push({
          type: 'tool_result',
          tool_use_id: part.functionResponse.id ?? part.functionResponse.name,
          content: responseText(part.functionResponse.response),
        });
      } else if (typeof part.text === 'string') {
        blocks.push({ type: 'text', text: part.text });
      }
    }
    appendBlocks(messages, role, blocks);
  }
  const tools = (body.tools ?? []).flatMap((t) =>
    (t.functionDeclarations ?? []).map((fn) =>
      toolOf(fn.name, fn.description, fn.parametersJsonSchema ?? fn.parameters),
    ),
  );
  return messagesBody({
    model,
    max_tokens: 0,
    system: textOfContent(body.systemInstruction),
    messages,
    tools: tools.length > 0 ? tools : undefined,
    stream,
  });
}
