/**
 * An in-memory Host for bench runs: approves every spec and confirmation, trusts the
 * workspace, and records every engine event with the moment it arrived (performance.now()),
 * so a case can rebuild the run's timeline.
 */
import { performance } from 'node:perf_hooks';
import type { EngineEvent } from '../../src/core/events';
import type { Host, HostAnswer, HostQuestion } from '../../src/core/host';

export interface TimedEvent {
  at: number;
  event: EngineEvent;
}

export class BenchHost implements Host {
  readonly events: TimedEvent[] = [];

  constructor(private readonly apiKey = 'sk-bench-not-a-real-key') {}

  async ask(asked: HostQuestion): Promise<HostAnswer> {
    return 'gate' in asked ? { action: 'approve' } : { allowed: true };
  }

  onEvent(event: EngineEvent): void {
    this.events.push({ at: performance.now(), event });
  }

  async getApiKey(): Promise<string | undefined> {
    return this.apiKey;
  }

  isTrusted(): boolean {
    return true;
  }

  ofType<T extends EngineEvent['type']>(type: T): (TimedEvent & { event: Extract<EngineEvent, { type: T }> })[] {
    return this.events.filter(
      (e): e is TimedEvent & { event: Extract<EngineEvent, { type: T }> } => e.event.type === type,
    );
  }
}
