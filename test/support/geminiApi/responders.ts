/**
 * Gemini API answers: a GenerateContentResponse as JSON (`generateContent`), or its SSE stream
 * (`streamGenerateContent?alt=sse`: one `data: <GenerateContentResponse>` per chunk, text in
 * pieces, each functionCall whole, the last chunk with finishReason and the full usageMetadata),
 * and the faults in Google's error envelope (`{error: {code, message, status, details}}`): 429
 * RESOURCE_EXHAUSTED with a RetryInfo delay, a daily quota (QuotaFailure, which the Gemini CLI
 * does not retry), 500 INTERNAL, 503 UNAVAILABLE, 400 API_KEY_INVALID, a dropped connection
 * mid-stream, and an error object inside a 200 stream.
 */
import type { ServerResponse } from 'node:http';
import {
  jsonReplyDue,
  pause,
  promptUsage,
  split,
  streamFrames,
  type CachedPromptExchange,
  type HttpFault,
  type Interruption,
} from '../modelApi/wire';
import type { ScriptBlock, ScriptedReply } from '../messagesApi/types';
import type { GeminiPart } from './canonical';

/** promptTokens is the whole prompt, cached part included (Gemini's promptTokenCount). */
export type GeminiExchange = CachedPromptExchange;

export interface GeminiHttpError {
  status: number;
  /** google.rpc.Code name: RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE, INVALID_ARGUMENT… */
  code: string;
  message: string;
  details?: object[];
  headers?: Record<string, string>;
}

const TYPE = 'type.googleapis.com/google.rpc.';

export function geminiErrorFor(fault: HttpFault): GeminiHttpError {
  switch (fault.kind) {
    case 'rate-limit': {
      const ms =
        fault.retryAfterMs ?? (fault.retryAfterSeconds !== undefined ? fault.retryAfterSeconds * 1000 : undefined);
      const details =
        ms === undefined
          ? []
          : [{ '@type': `${TYPE}RetryInfo`, retryDelay: `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s` }];
      return {
        status: 429,
        code: 'RESOURCE_EXHAUSTED',
        message: 'Resource has been exhausted (e.g. check quota).',
        details: [
          {
            '@type': `${TYPE}QuotaFailure`,
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count',
                quotaId: 'GenerateContentPaidTierInputTokensPerModelPerMinute',
              },
            ],
          },
          ...details,
        ],
      };
    }
    case 'overloaded':
      return { status: 503, code: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' };
    case 'server-error':
      return {
        status: 500,
        code: 'INTERNAL',
        message:
          'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      };
    case 'auth':
      return {
        status: 400,
        code: 'INVALID_ARGUMENT',
        message: 'API key not valid. Please pass a valid API key.',
        details: [
          {
            '@type': `${TYPE}ErrorInfo`,
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ],
      };
    case 'spend-limit':
      // A daily quota: the CLI treats it as terminal (no retry), as the real service's is.
      return {
        status: 429,
        code: 'RESOURCE_EXHAUSTED',
        message: 'You exceeded your current quota, please check your plan and billing details.',
        details: [
          {
            '@type': `${TYPE}QuotaFailure`,
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
                quotaDimensions: { model: 'gemini-2.5-pro', location: 'global' },
                quotaValue: '50',
              },
            ],
          },
        ],
      };
    case 'http-error':
      return {
        status: fault.status,
        code: fault.type,
        message: fault.message,
        ...(fault.headers ? { headers: fault.headers } : {}),
      };
  }
}

const errorEnvelope = (error: GeminiHttpError): object => ({
  error: {
    code: error.status,
    message: error.message,
    status: error.code,
    ...(error.details ? { details: error.details } : {}),
  },
});

export function sendGeminiError(res: ServerResponse, error: GeminiHttpError): void {
  res.writeHead(error.status, { 'content-type': 'application/json; charset=UTF-8', ...error.headers });
  res.end(JSON.stringify(errorEnvelope(error)));
}

/** usageMetadata: computed (promptTokenCount includes the cached part), or a script's Messages-API overrides. */
function usageOf(ex: GeminiExchange, reply: ScriptedReply): Record<string, number> {
  const { prompt, cached, output } = promptUsage(ex, reply);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: output,
    totalTokenCount: prompt + output,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
  };
}

const functionCallOf = (b: Extract<ScriptBlock, { type: 'tool_use' }>): GeminiPart => ({
  functionCall: {
    ...(b.id ? { id: b.id } : {}),
    name: b.name,
    args: (typeof b.input === 'string' ? { input: b.input } : b.input) as Record<string, unknown>,
  },
});

const finishReasonOf = (reply: ScriptedReply): string => (reply.stop_reason === 'max_tokens' ? 'MAX_TOKENS' : 'STOP');

function responseOf(ex: GeminiExchange, reply: ScriptedReply, parts: GeminiPart[], last: boolean): object {
  const usage = usageOf(ex, reply);
  return {
    candidates: [
      { content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: finishReasonOf(reply) } : {}) },
    ],
    usageMetadata: last ? usage : { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount },
    modelVersion: reply.model ?? ex.model,
    responseId: `resp_${ex.requestId}`,
  };
}

export async function sendGeminiJson(ex: GeminiExchange, reply: ScriptedReply): Promise<void> {
  if (!(await jsonReplyDue(ex, reply))) return;
  ex.responseStarted?.();
  const parts = reply.content.map((b): GeminiPart => (b.type === 'text' ? { text: b.text } : functionCallOf(b)));
  ex.res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  ex.res.end(JSON.stringify(responseOf(ex, reply, parts, true)));
}

/** `afterContentEvents` counts content chunks (0 = none); an in-stream error is an `{error}` object in the 200 stream. */
export async function sendGeminiStream(
  ex: GeminiExchange,
  reply: ScriptedReply,
  interruption?: Interruption,
): Promise<void> {
  if (!(await pause(reply.beforeMs, ex.gone))) return;
  // Text in pieces, then each call whole: the chunks as the API streams them.
  const chunks: GeminiPart[][] = reply.content.flatMap((b) =>
    b.type === 'text' ? split(b.text, 3).map((text) => [{ text }]) : [[functionCallOf(b)]],
  );
  if (chunks.length === 0) chunks.push([{ text: '' }]);
  const bodies = chunks.map((parts, i) => responseOf(ex, reply, parts, i === chunks.length - 1));
  const sent = interruption ? bodies.slice(0, interruption.afterContentEvents) : bodies;

  if (
    !(await streamFrames(
      ex,
      reply,
      sent.map((body) => `data: ${JSON.stringify(body)}\r\n\r\n`),
      bodies.length,
    ))
  )
    return;
  if (!interruption) return void ex.res.end();
  if (interruption.how === 'drop') return void ex.res.socket?.destroy();
  const error = geminiErrorFor({ kind: interruption.how === 'overloaded_error' ? 'overloaded' : 'server-error' });
  ex.res.end(`data: ${JSON.stringify(errorEnvelope(error))}\r\n\r\n`);
}
