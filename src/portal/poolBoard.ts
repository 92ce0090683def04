/**
 * The Pool page's data (issue 28): every pooled run live (phase, wave, cost, worker, status,
 * reason) and the team's spend today against `limits.poolBudgetUsdPerDay`. One follower per
 * portal process reads the pool's tables and LISTENs on its channel; each change becomes a `pool`
 * event on the portal's stream (at most one per PUSH_MS), and the open pages re-read. Nothing polls.
 * The pool's bundle (dist/pool.js) is loaded only when the queue is on PostgreSQL.
 */
import type { QueueService } from '../core/queue';
import type * as PoolBundle from '../pool/index';
import type { PoolPage } from '../shared/portalApi';

/** Changes closer together than this reach the pages as one (a run's cost moves with each model call). */
const PUSH_MS = 250;

export function poolBundle(): typeof PoolBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pool/index') as typeof PoolBundle;
}

/** The pool shares the queue's PostgreSQL (queue.url, or ORCHESTRATOR_QUEUE_URL). */
export function hasPool(queue: QueueService): boolean {
  return /^postgres(ql)?:\/\//.test(queue.settings.url ?? process.env.ORCHESTRATOR_QUEUE_URL ?? '');
}

export class PortalPool {
  private follower: Promise<PoolBundle.PoolFollower> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly queue: QueueService,
    /** Tells every open page that the pool changed. */
    private readonly changed: () => void,
  ) {}

  get configured(): boolean {
    return hasPool(this.queue);
  }

  /** Starts following at once, so the first page is quick and no change is missed. */
  start(): void {
    if (this.configured) void this.open().catch(() => undefined);
  }

  async page(): Promise<PoolPage> {
    if (!this.configured) return { configured: false };
    try {
      return { configured: true, board: await (await this.open()).board() };
    } catch (error) {
      return { configured: true, error: (error as Error).message };
    }
  }

  /** One page of a pooled run's journal, read on the follower's store (kept open, as the board's). */
  async journalPage(
    runId: string,
    page: { before?: number; limit: number },
  ): Promise<PoolBundle.MirroredEntry[] | undefined> {
    return (await this.open()).journalPage(runId, page);
  }

  /** A pooled run's proof and attempt entries (`proof.*`, its latest matrix, `attempt.*`), read on the same store. */
  async pageEntries(runId: string): Promise<PoolBundle.MirroredEntry[] | undefined> {
    return (await this.open()).pageEntries(runId);
  }

  /** The follower, opened once; after a failure (PostgreSQL not up yet) the next page tries again. */
  private open(): Promise<PoolBundle.PoolFollower> {
    this.follower ??= poolBundle()
      .followPool(this.queue.workspace, () => this.push())
      .catch((error: unknown) => {
        this.follower = undefined;
        throw error;
      });
    return this.follower;
  }

  private push(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed();
    }, PUSH_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const follower = await this.follower?.catch(() => undefined);
    this.follower = undefined;
    await follower?.close();
  }
}
