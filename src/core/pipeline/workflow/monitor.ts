/**
 * Seed 003's Monitor: it watches the run's events and raises `monitor.alert` on a risk, once per
 * risk — the budget burning past its share (`monitor.budgetBurn` of `limits.maxBudgetUsd`), one
 * layer failing validation `monitor.validationFailures` times, a block open longer than
 * `monitor.blockOpenSec`. It only reports; the limits themselves still stop the run.
 */
import { meaningOf, type Meaning } from '../../catalogue';
import type { EngineEvent } from '../../events';
import type { StateEvent } from '../../journal';
import type { WorkflowFile } from '../../project/workflows';
import type { RunContext } from '../kernel';

type Settings = NonNullable<WorkflowFile['monitor']>;

export class Monitor {
  private readonly alerted = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly openBlocks = new Map<number, { from: string; to: string; since: number }>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly settings: Settings,
    private readonly now: () => number = Date.now,
  ) {
    // Earlier sessions' events count (a resumed run keeps its alerts and its counts).
    for (const event of ctx.events) this.track(event, meaningOf(event));
    for (const event of ctx.events)
      if (event.type === 'monitor.alert') this.alerted.add(`${event.alert}:${event.subject ?? ''}`);
    // A block waits on another layer's agent: its age is checked while nothing else happens too.
    this.timer =
      settings.blockOpenSec === undefined
        ? undefined
        : setInterval(() => this.checkBlocks(), Math.min(5000, settings.blockOpenSec * 500)).unref();
  }

  /** Called with every event the run emits. */
  observe(event: EngineEvent): void {
    const meaning = meaningOf(event);
    this.track(event, meaning);
    const { budgetBurn, validationFailures } = this.settings;
    if (budgetBurn !== undefined && this.ctx.budget.spentUsd >= budgetBurn * this.ctx.budget.limitUsd) {
      this.alert(
        'budget.burn',
        undefined,
        `${Math.round((this.ctx.budget.spentUsd / this.ctx.budget.limitUsd) * 100)}% of the budget spent ($${this.ctx.budget.spentUsd.toFixed(2)} of $${this.ctx.budget.limitUsd}), past monitor.budgetBurn (${budgetBurn * 100}%)`,
      );
    }
    const failed = meaning.validation?.state === 'failed' ? meaning.validation : undefined;
    if (failed && validationFailures !== undefined && (this.failures.get(failed.layer) ?? 0) >= validationFailures) {
      this.alert(
        'validation.failures',
        failed.layer,
        `${failed.layer} failed validation ${this.failures.get(failed.layer)} times (monitor.validationFailures: ${validationFailures}); last: ${failed.command}`,
      );
    }
    this.checkBlocks();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private track(event: EngineEvent | StateEvent, { validation, blockOpened, blockResolved }: Meaning): void {
    if (validation?.state === 'failed')
      this.failures.set(validation.layer, (this.failures.get(validation.layer) ?? 0) + 1);
    else if (blockOpened)
      this.openBlocks.set(blockOpened.block, {
        from: blockOpened.from,
        to: blockOpened.to,
        since: 'ts' in event && event.ts ? Date.parse(event.ts) : this.now(),
      });
    else if (blockResolved) this.openBlocks.delete(blockResolved.block);
  }

  private checkBlocks(): void {
    const limit = this.settings.blockOpenSec;
    if (limit === undefined) return;
    for (const [block, open] of this.openBlocks) {
      const seconds = (this.now() - open.since) / 1000;
      if (seconds >= limit)
        this.alert(
          'block.open',
          `block-${block}`,
          `block ${block} (${open.from} needs ${open.to}) open for ${Math.round(seconds)} s, past monitor.blockOpenSec (${limit} s)`,
        );
    }
  }

  private alert(
    alert: 'budget.burn' | 'validation.failures' | 'block.open',
    subject: string | undefined,
    message: string,
  ): void {
    const key = `${alert}:${subject ?? ''}`;
    if (this.alerted.has(key)) return;
    this.alerted.add(key);
    this.ctx.emit({ type: 'monitor.alert', alert, message, ...(subject ? { subject } : {}) });
  }
}
