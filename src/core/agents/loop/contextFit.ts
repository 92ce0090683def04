/**
 * Sends an agent's requests so that they fit the model's context window: compacts the
 * conversation before a request that would come too close to it (compaction.ts), and after a
 * 400 "prompt is too long" compacts and tries once more, so that error is never fatal on the
 * first try. Token counts are estimated from characters, calibrated on each reply's real
 * prompt size (and on the sizes a "too long" error states).
 */
import type { EventSink } from '../../events';
import { LlmError, type ModelClient, type ModelReply, type ModelRequest, promptTokens } from '../../llm';
import {
  COMPACT_AT,
  COMPACT_TO,
  compactMessages,
  DEFAULT_CHARS_PER_TOKEN,
  promptLimit,
  requestChars,
} from './compaction';

/** For a model whose window its provider does not know (many OpenAI-compatible endpoints). */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

export class ContextFit {
  private charsPerToken = DEFAULT_CHARS_PER_TOKEN;
  /** The window a "too long" error stated; it wins over what the provider believes. */
  private learnedWindow: number | undefined;

  constructor(
    private readonly client: ModelClient,
    private readonly agent: string,
    private readonly emit: EventSink,
  ) {}

  /** Sends `request`; its `messages` (the loop's own array) may be compacted in place first. */
  async send(request: ModelRequest): Promise<ModelReply> {
    this.fit(request, 'window');
    let reply: ModelReply;
    try {
      reply = await this.client.send(request);
    } catch (error) {
      if (!(error instanceof LlmError) || error.kind !== 'context-length') throw error;
      this.learn(request, error);
      this.fit(request, 'too-long');
      // Once: a second "too long" ends the agent with that error.
      reply = await this.client.send(request);
    }
    const tokens = promptTokens(reply.usage);
    if (!reply.usageUnknown && tokens > 0) this.charsPerToken = clampRatio(requestChars(request) / tokens);
    return reply;
  }

  private windowOf(model: string): number {
    return this.learnedWindow ?? this.client.contextWindow?.(model) ?? DEFAULT_CONTEXT_WINDOW;
  }

  private learn(request: ModelRequest, error: LlmError): void {
    const { promptTokens: said, limitTokens } = error.details;
    if (limitTokens) this.learnedWindow = limitTokens;
    if (said) this.charsPerToken = clampRatio(requestChars(request) / said);
    // A limit nobody stated: the prompt is at least as long as the window.
    else if (!limitTokens) this.learnedWindow = Math.floor(requestChars(request) / this.charsPerToken);
  }

  private fit(request: ModelRequest, reason: 'window' | 'too-long'): void {
    const limit = promptLimit(this.windowOf(request.model), request.maxTokens);
    const chars = requestChars(request);
    const tokensBefore = Math.round(chars / this.charsPerToken);
    if (reason === 'window' && tokensBefore <= COMPACT_AT * limit) return;
    const save = chars - Math.floor(COMPACT_TO * limit * this.charsPerToken);
    if (save <= 0) return;
    const { stubbed, savedChars } = compactMessages(request.messages, save);
    if (stubbed === 0) return;
    this.emit({
      type: 'llm.compacted',
      agent: this.agent,
      model: request.model,
      reason,
      stubbed,
      tokensBefore,
      tokensAfter: Math.round((chars - savedChars) / this.charsPerToken),
    });
  }
}

/** Real text runs 2–6 characters per token; outside that the measurement is off. */
const clampRatio = (ratio: number): number =>
  Math.min(6, Math.max(2, Number.isFinite(ratio) ? ratio : DEFAULT_CHARS_PER_TOKEN));
