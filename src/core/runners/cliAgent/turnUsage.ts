/**
 * A turn's usage as the CLI streams it: each part is priced from our table (else the CLI's own
 * price of it) and counts toward the run's budget at once, so the cap holds mid-turn; a reply's
 * parts add up to one `llm.usage` event. After the turn, a reply cut off mid-stream is journaled
 * still, and where our table priced nothing the CLI's own total counts (none: "not metered").
 */
import type { FinalToolName } from '../../agents';
import type { EngineEvent } from '../../events';
import { addUsage, emptyUsage, type Pricing, type Usage } from '../../llm';
import type { CliStreamEvent } from './cliTypes';
import type { SessionRecord } from './sessionRecord';

export class TurnUsage<F extends FinalToolName> {
  /** What this turn cost by our prices (or the CLI's per part). */
  private turnCost = 0;
  /** A part of this turn had no price. */
  private unpriced = false;
  /** The reply streaming now, and what it cost so far. */
  private reply = emptyUsage();
  private replyCost = 0;
  private lastModel = '';
  private last = Date.now();

  constructor(
    private readonly record: SessionRecord<F>,
    private readonly pricing: Pricing,
  ) {}

  /** One part of a reply's usage. */
  add(event: Extract<CliStreamEvent, { kind: 'usage' }>): void {
    const { record } = this;
    this.lastModel = event.model;
    const cost = event.unmetered ? undefined : (this.pricing.costOf(event.model, event.usage) ?? event.costUsd);
    record.usage = addUsage(record.usage, event.usage);
    this.reply = addUsage(this.reply, event.usage);
    if (cost === undefined) this.unpriced = true;
    else {
      this.turnCost += cost;
      this.replyCost += cost;
      record.charge(cost);
    }
    if (event.ends) {
      const now = Date.now();
      record.env.emit(
        usageEvent(record, event.model, this.reply, cost === undefined ? undefined : this.replyCost, now - this.last),
      );
      this.last = now;
      this.reply = emptyUsage();
      this.replyCost = 0;
    }
  }

  /** After the turn, with the total the CLI reported for it (if any). */
  close(cliCostUsd: number | undefined): void {
    const { record, reply } = this;
    // A reply cut off mid-stream (the cap, a cancel) still cost what it streamed: journaled, so a resumed run counts it.
    if (reply.input + reply.output + reply.cacheRead + reply.cacheWrite > 0)
      record.env.emit(usageEvent(record, this.lastModel, reply, this.replyCost, Date.now() - this.last));
    // Priced by the CLI only (a model our table does not know): its own total counts.
    if (this.unpriced && cliCostUsd !== undefined && cliCostUsd > this.turnCost)
      record.charge(cliCostUsd - this.turnCost);
    else if (this.unpriced && cliCostUsd === undefined) record.metered = false;
  }
}

function usageEvent(
  record: { agent: string; runner: string },
  model: string,
  usage: Usage,
  cost: number | undefined,
  ms: number,
): EngineEvent {
  return {
    type: 'llm.usage',
    agent: record.agent,
    model,
    usage,
    costUsd: cost ?? 0,
    ms,
    provider: record.runner,
    ...(cost === undefined ? { priced: false as const } : {}),
  };
}
