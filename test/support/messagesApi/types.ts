import type Anthropic from '@anthropic-ai/sdk';

/** One request the fake API received, as the test sees it. */
export interface RecordedRequest {
  /** 0-based arrival order across the whole server (retries count as new requests). */
  index: number;
  method: string;
  path: string;
  /** Lower-case header names (e.g. `x-api-key`, `anthropic-version`, `x-stainless-retry-count`). */
  headers: Record<string, string>;
  /** The parsed JSON body exactly as the client sent it. */
  body: Anthropic.Messages.MessageCreateParams;
  stream: boolean;
  /** Date.now() when the request arrived. */
  time: number;
}

/** A content block of a scripted reply. tool_use ids are generated when omitted. */
export type ScriptBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown };

export interface UsageOverrides {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** Timing knobs for a slow reply; every wait ends early when the client goes away. */
export interface Pacing {
  /** Wait before sending the status line and headers. */
  beforeMs?: number;
  /** Wait between SSE events (streaming only). */
  betweenMs?: number;
  /**
   * Time spread evenly over the gaps between SSE events, on top of `betweenMs`: the first
   * event (message_start) comes after `beforeMs`, the last `streamMs` later. A JSON reply
   * waits it before its body, so a reply takes beforeMs + streamMs either way.
   */
  streamMs?: number;
}

export interface ScriptedReply extends Pacing {
  kind: 'reply';
  content: ScriptBlock[];
  /** Default: 'tool_use' when a tool_use block is present, else 'end_turn'. */
  stop_reason?: Anthropic.Messages.StopReason;
  /** Replace the computed usage numbers (any subset). */
  usage?: UsageOverrides;
  /** Default: the model of the request. */
  model?: string;
}

/** A spend or credit limit, in the three shapes the API uses for it. */
export type SpendLimitVariant =
  /** 429 rate_limit_error with details.error_code enforced_spend_limit_reached, no retry-after. */
  | 'enforced'
  /** 400 invalid_request_error "You have reached your specified API usage limits…". */
  | 'usage-limit'
  /** 400 invalid_request_error "Your credit balance is too low…". */
  | 'credit-balance';

export type ScriptedFault =
  | ({ kind: 'rate-limit'; retryAfterMs?: number; retryAfterSeconds?: number } & Pacing)
  | ({ kind: 'overloaded' } & Pacing)
  | ({ kind: 'server-error' } & Pacing)
  | ({ kind: 'auth' } & Pacing)
  | ({ kind: 'spend-limit'; variant: SpendLimitVariant } & Pacing)
  /** Any other HTTP error in the API's error envelope. */
  | ({ kind: 'http-error'; status: number; type: string; message: string; headers?: Record<string, string> } & Pacing)
  /**
   * Destroy the socket after `afterContentEvents` content_block_* events of `reply`
   * (0 = right after message_start and ping). A non-streaming request is dropped before any byte.
   */
  | { kind: 'drop'; afterContentEvents: number; reply: ScriptedReply }
  /**
   * A 200 SSE stream that sends an `error` event after `afterContentEvents` content_block_*
   * events of `reply` and then ends. A non-streaming request gets the same error as HTTP 529/500.
   */
  | {
      kind: 'stream-error';
      afterContentEvents: number;
      errorType: 'overloaded_error' | 'api_error';
      reply: ScriptedReply;
    };

export type Scripted = ScriptedReply | ScriptedFault;

export type Script = (req: RecordedRequest, index: number) => Scripted | Promise<Scripted>;
