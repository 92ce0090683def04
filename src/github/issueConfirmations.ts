/**
 * Confirmations of the runs serve runs from issues (issue 44): asked by a comment on the issue
 * (confirmComment.ts), decided by `/allow` or `/deny` from a collaborator with write access (the
 * channel asks GitHub before it gets here). No process waits for the answer (issue 72): the question
 * posted, it is kept on the run's link (the store, durable) and the run is set aside (parked); the
 * answer, in this serve, a restarted one or a later job of the GitHub Action, is kept on the link
 * and continues the run through engine.answerQuestion. Unanswered past limits.confirmationWaitSec
 * (counted from the first asking) the run stops there (expireParked: serve's timer, a job's start).
 */
import type { GithubJournalEvent } from '../core/api';
import type { ConfirmationRequest, Parked } from '../core/host';
import { answerTo, sameQuestion } from '../core/engineBundle';
import type { GithubClient } from './client';
import {
  confirmationComment,
  confirmationMarker,
  type AskedConfirmation,
  type ConfirmationState,
} from './confirmComment';
import type { GithubStore, IssueLink } from './store';

/** Answers kept on a run's link for the questions it was set aside on (one per question a person answered). */
const KEPT_ANSWERS = 50;

export interface ConfirmationsDoor {
  client: GithubClient;
  store: GithubStore;
  journal(runId: string, event: GithubJournalEvent): Promise<void>;
  say(link: IssueLink, text: string): Promise<void>;
  log(line: string): void;
  /** How a run stopped with its question unanswered asks again (the place's words), if it can. */
  askAgain: string;
  /** A question parked on the link (its expiry armed). */
  parked(link: IssueLink): void;
  /** A run set aside on a question, continued in this process (the channel's runs), with its answer when it is known. */
  continueHere(link: IssueLink, detail: string, answer?: ParkedAnswer): Promise<void>;
}

/** A parked question's answer (`questionId`: the run's question), which continues its run through engine.answerQuestion. */
export interface ParkedAnswer {
  questionId: string;
  allowed: boolean;
  by: string;
}

const askedDetail = (asked: AskedConfirmation) =>
  `${asked.kind} (${asked.agent}): ${asked.paths.join(', ')}`.slice(0, 1000);

export class IssueConfirmations {
  constructor(private readonly door: ConfirmationsDoor) {}

  /**
   * The run's question: the answer a person gave before to this question or a wider one; else the
   * question posted, kept on the link as parked (with its id), and parked: the engine sets the run
   * aside, resumable, and the answer continues it through engine.answerQuestion.
   */
  async ask(link: IssueLink, request: ConfirmationRequest): Promise<boolean | Parked> {
    const answered = answerTo(link.answered, request);
    if (answered) return answered.allowed;
    const { waitSec } = request;
    await this.post(link, request, { state: 'waiting', waitSec });
    this.door.parked(link);
    return { parked: `it waits for the answer to its confirmation on issue #${link.issue}` };
  }

  /**
   * `/allow` or `/deny` of a question a run was set aside on: kept on the link, said in the
   * question's comment, journaled, then the run continued here, answered with it when it asks again.
   * Said on the issue when the run is not set aside on one. `done`: the end of the run still winding
   * down here after it parked; the answer waits for it rather than being lost.
   */
  async decide(link: IssueLink, allowed: boolean, by: string, url: string, done?: Promise<void>): Promise<void> {
    await done;
    const asked = link.confirmation;
    if (!asked?.parked || link.status !== 'waiting') {
      await this.door.say(link, `@${by}: run ${link.runId} is not waiting for a confirmation (${link.status}).`);
      return;
    }
    link.answered = [
      ...(link.answered ?? []),
      { kind: asked.kind, agent: asked.agent, paths: asked.paths, allowed, by },
    ].slice(-KEPT_ANSWERS);
    link.status = 'running';
    await this.settle(link, asked, { state: 'decided', allowed, by });
    await this.door.journal(link.runId, {
      type: 'github.confirmation.decided',
      url,
      by,
      detail: allowed ? 'allow' : 'deny',
    });
    await this.door.continueHere(
      link,
      `continued after @${by}'s /${allowed ? 'allow' : 'deny'}`,
      asked.questionId ? { questionId: asked.questionId, allowed, by: `github:${by}` } : undefined,
    );
  }

  /**
   * A run stopped because no one answered its question in time (expireParked), taken up again by
   * `workflow_dispatch` with its spec: continued here, it asks again. False when the spec's run did not stop so.
   */
  async askAgain(specId: string): Promise<boolean> {
    const { store } = this.door;
    const link = store
      .links()
      .filter((l) => l.specId === specId)
      .at(-1);
    // Only the issue's latest run: a newer one's work is what the job's checkout holds.
    if (!link?.unanswered || link.status !== 'stopped' || store.ofIssue(link.issue) !== link) return false;
    delete link.unanswered;
    link.status = 'running';
    store.put(link);
    await this.door.continueHere(
      link,
      'taken up again by workflow_dispatch: its confirmation went unanswered, it asks again',
    );
    return true;
  }

  /** A question a run was set aside on, unanswered past limits.confirmationWaitSec: the run stops there (said on the issue). */
  async expireParked(link: IssueLink, now = Date.now()): Promise<void> {
    const asked = link.confirmation;
    if (!asked?.parked || link.status !== 'waiting') return;
    const { waitSec } = asked.parked;
    if (now - Date.parse(asked.since) < waitSec * 1000) return;
    link.status = 'stopped';
    link.unanswered = true;
    await this.settle(link, asked, { state: 'expired', waitSec });
    await this.door.journal(link.runId, {
      type: 'github.confirmation.decided',
      url: asked.commentUrl ?? link.issueUrl,
      by: 'orchestrator',
      detail: `expired (no answer within ${waitSec} s)`,
    });
    await this.door.say(
      link,
      `Run ${link.runId} stopped: no answer to its confirmation within ${waitSec} s (limits.confirmationWaitSec). Nothing was pushed.${this.door.askAgain ? ` ${this.door.askAgain}.` : ''}`,
    );
  }

  /** The question on the issue (the one asked before, after a restart, found again rather than posted twice), kept on the link. */
  private async post(
    link: IssueLink,
    request: ConfirmationRequest,
    waiting: Extract<ConfirmationState, { state: 'waiting' }>,
  ): Promise<AskedConfirmation> {
    const { client, store } = this.door;
    const again = sameQuestion(link.confirmation, request);
    const asked: AskedConfirmation = again
      ? link.confirmation!
      : {
          kind: request.kind,
          agent: request.agent,
          paths: [...request.paths],
          ...(request.lines !== undefined ? { lines: request.lines } : {}),
          since: new Date().toISOString(),
        };
    asked.parked = { waitSec: waiting.waitSec };
    asked.questionId = request.questionId;
    link.confirmation = asked;
    link.status = 'waiting';
    await store.record(link);
    // Posted before serve was killed, not remembered: found by its marker, not posted twice.
    if (again && asked.commentId === undefined) await this.recover(link, asked);
    if (asked.commentId === undefined) {
      const made = await client.comment(link.issue, confirmationComment(link.runId, asked, waiting));
      asked.commentId = made.id;
      asked.commentUrl = made.url;
      await store.record(link);
      await this.door.journal(link.runId, {
        type: 'github.confirmation.asked',
        url: made.url,
        detail: askedDetail(asked),
      });
    }
    return asked;
  }

  /**
   * The question's comment, posted by a serve killed before it remembered it, found on the issue by
   * its marker and remembered; killed then, it had not journaled the question either.
   */
  private async recover(link: IssueLink, asked: AskedConfirmation): Promise<void> {
    const found = await this.door.client
      .ownComment(link.issue, confirmationMarker(link.runId, asked.since), link.specCommentId)
      .catch(() => undefined);
    if (!found) return;
    [asked.commentId, asked.commentUrl] = [found.id, found.url];
    await this.door.store.record(link);
    await this.door.journal(link.runId, {
      type: 'github.confirmation.asked',
      url: found.url,
      detail: askedDetail(asked),
    });
  }

  /** The run cancelled: its question, if one is asked, says so in its comment and is forgotten. */
  async cancelled(link: IssueLink): Promise<void> {
    if (link.confirmation) await this.settle(link, link.confirmation, { state: 'cancelled' });
  }

  /** The question answered (or given up): forgotten on the link, its comment edited to say how. */
  private async settle(link: IssueLink, asked: AskedConfirmation, state: ConfirmationState): Promise<void> {
    // Posted but not remembered (serve killed between the two): found by its marker all the same.
    if (asked.commentId === undefined) await this.recover(link, asked);
    delete link.confirmation;
    this.door.store.put(link);
    if (asked.commentId === undefined) return;
    await this.door.client
      .editComment(asked.commentId, confirmationComment(link.runId, asked, state))
      .catch((error: unknown) =>
        this.door.log(
          `github: run ${link.runId}: the confirmation comment was not edited: ${(error as Error).message}`,
        ),
      );
  }
}
