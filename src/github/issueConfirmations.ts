/**
 * Confirmations of the runs serve runs from issues (issue 44): asked by a comment on the issue
 * (confirmComment.ts), decided by `/allow` or `/deny` from a collaborator with write access (the
 * channel asks GitHub before it gets here), the answer handed to the waiting run. What was asked is
 * kept on the run's link: serve killed and started again resumes the run, which asks the same
 * question again and waits in the same comment, the limit (limits.confirmationWaitSec) counted
 * from the first asking. Past it the run stops (resumable with `orchestrator resume`).
 */
import type { GithubJournalEvent } from '../core/api';
import type { ConfirmationRequest } from '../core/host';
import type { GithubClient } from './client';
import { confirmationComment, confirmationMarker, sameConfirmation, type AskedConfirmation, type ConfirmationState } from './confirmComment';
import type { GithubStore, IssueLink } from './store';

/** limits.confirmationWaitSec's default, for a request that does not carry it. */
const DEFAULT_WAIT_SEC = 86_400;

export interface ConfirmationsDoor {
  client: GithubClient;
  store: GithubStore;
  journal(runId: string, event: GithubJournalEvent): Promise<void>;
  say(link: IssueLink, text: string): Promise<void>;
  log(line: string): void;
}

interface Waiting {
  resolve(allowed: boolean): void;
  stop(): void;
}

const askedDetail = (asked: AskedConfirmation) => `${asked.kind} (${asked.agent}): ${asked.paths.join(', ')}`.slice(0, 1000);

export class IssueConfirmations {
  private readonly waiting = new Map<string, Waiting>();
  /** Decisions that arrived before their resumed run asked again: told when it does. */
  private readonly arrivals = new Map<string, () => void>();

  constructor(private readonly door: ConfirmationsDoor) {}

  /** The run's question, posted (or found again after a restart) and waited for. */
  async ask(link: IssueLink, request: ConfirmationRequest): Promise<boolean> {
    const { client, store } = this.door;
    const again = sameConfirmation(link.confirmation, request);
    const asked: AskedConfirmation = again
      ? link.confirmation!
      : { kind: request.kind, agent: request.agent, paths: [...request.paths], ...(request.lines !== undefined ? { lines: request.lines } : {}), since: new Date().toISOString() };
    link.confirmation = asked;
    link.status = 'waiting';
    await store.record(link);
    const waitSec = request.waitSec ?? DEFAULT_WAIT_SEC;
    if (again && asked.commentId === undefined) {
      // Posted before serve was killed, not remembered: found by its marker, not posted twice.
      const found = await client.ownComment(link.issue, confirmationMarker(link.runId, asked.since)).catch(() => undefined);
      if (found) {
        [asked.commentId, asked.commentUrl] = [found.id, found.url];
        await store.record(link);
        // Killed between posting and remembering, it had not journaled the question either.
        await this.door.journal(link.runId, { type: 'github.confirmation.asked', url: found.url, detail: askedDetail(asked) });
      }
    }
    if (asked.commentId === undefined) {
      const made = await client.comment(link.issue, confirmationComment(link.runId, asked, { state: 'waiting', waitSec }));
      asked.commentId = made.id;
      asked.commentUrl = made.url;
      await store.record(link);
      await this.door.journal(link.runId, { type: 'github.confirmation.asked', url: made.url, detail: askedDetail(asked) });
    }
    const left = Math.max(0, waitSec * 1000 - (Date.now() - Date.parse(asked.since)));
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(link.runId);
        void this.settle(link, asked, { state: 'expired', waitSec }).finally(() => reject(new Error(`no answer to the confirmation on issue #${link.issue} within ${waitSec} s (limits.confirmationWaitSec)`)));
      }, left);
      this.waiting.set(link.runId, { resolve: (allowed) => (clearTimeout(timer), resolve(allowed)), stop: () => clearTimeout(timer) });
      this.arrivals.get(link.runId)?.();
      this.arrivals.delete(link.runId);
    });
  }

  /** Where no one can wait for the answer (runPlace.ts `noWaiting`): the question posted as refused, journaled; false. */
  async refuse(link: IssueLink, request: ConfirmationRequest, why: string): Promise<boolean> {
    const asked: AskedConfirmation = { kind: request.kind, agent: request.agent, paths: [...request.paths], ...(request.lines !== undefined ? { lines: request.lines } : {}), since: new Date().toISOString() };
    const made = await this.door.client.comment(link.issue, confirmationComment(link.runId, asked, { state: 'refused', why }));
    await this.door.journal(link.runId, { type: 'github.confirmation.asked', url: made.url, detail: askedDetail(asked) });
    await this.door.journal(link.runId, { type: 'github.confirmation.decided', url: made.url, by: 'orchestrator', detail: 'deny' });
    return false;
  }

  /** `/allow` or `/deny` from a writer; `done`: the run's end, while a resumed run is on its way back to the question. */
  async decide(link: IssueLink, allowed: boolean, by: string, url: string, done: Promise<void> | undefined): Promise<void> {
    if (!this.waiting.has(link.runId) && link.confirmation && done) {
      await Promise.race([new Promise<void>((resolve) => this.arrivals.set(link.runId, resolve)), done]);
      this.arrivals.delete(link.runId);
    }
    const waiting = this.waiting.get(link.runId);
    const asked = link.confirmation;
    if (!waiting || !asked) {
      await this.door.say(link, `@${by}: run ${link.runId} is not waiting for a confirmation (${link.status}).`);
      return;
    }
    this.waiting.delete(link.runId);
    link.status = 'running';
    try {
      await this.settle(link, asked, { state: 'decided', allowed, by });
      await this.door.journal(link.runId, { type: 'github.confirmation.decided', url, by, detail: allowed ? 'allow' : 'deny' });
    } finally {
      waiting.resolve(allowed);
    }
  }

  /** The run ended (cancelled, serve closing, stopped): nothing waits for it any more; a cancel also says so in the comment. */
  async drop(link: IssueLink, cancelled: boolean): Promise<void> {
    this.waiting.get(link.runId)?.stop();
    this.waiting.delete(link.runId);
    this.arrivals.get(link.runId)?.();
    if (cancelled && link.confirmation) await this.settle(link, link.confirmation, { state: 'cancelled' });
  }

  /** The question answered (or given up): forgotten on the link, its comment edited to say how. */
  private async settle(link: IssueLink, asked: AskedConfirmation, state: ConfirmationState): Promise<void> {
    delete link.confirmation;
    this.door.store.put(link);
    if (asked.commentId === undefined) return;
    await this.door.client.editComment(asked.commentId, confirmationComment(link.runId, asked, state)).catch((error: unknown) => this.door.log(`github: run ${link.runId}: the confirmation comment was not edited: ${(error as Error).message}`));
  }
}
