/**
 * The expiry of the confirmations parked on the channel's links (issue 72): a timer while this
 * process lives (`serve`, armed again at its restart; a job also checks them as it starts); past
 * `waitSec` the run stops there (issueConfirmations.ts expireParked). It never holds the process open.
 */
import type { IssueLink } from './store';

export class ParkedExpiries {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly expire: (link: IssueLink) => Promise<void>,
    private readonly log: (line: string) => void,
    /** This process waits out its parked confirmations (serve); a job does not arm them. */
    private readonly armed: boolean,
  ) {}

  /** The link's parked confirmation, if it has one, expires on time. */
  arm(link: IssueLink): void {
    const asked = link.confirmation;
    if (!this.armed || !asked?.parked || link.status !== 'waiting') return;
    clearTimeout(this.timers.get(link.runId));
    const left = asked.parked.waitSec * 1000 - (Date.now() - Date.parse(asked.since));
    const timer = setTimeout(
      () => {
        this.timers.delete(link.runId);
        void this.expire(link).catch((error: unknown) =>
          this.log(`github: run ${link.runId}: ${(error as Error).message}`),
        );
      },
      // A moment past the limit: expireParked counts from the same instant and must find it passed.
      Math.max(0, left) + 50,
    );
    timer.unref();
    this.timers.set(link.runId, timer);
  }

  /** The process closes: no timer left. */
  clear(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }
}
