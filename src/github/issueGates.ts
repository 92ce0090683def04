/**
 * The spec gate of the channel's runs, on their issue (issue 39): the spec posted as one comment
 * (edited in place as it is decided), decided by `/approve` or `/changes <what>` from a
 * collaborator with write access (the channel asks GitHub before it gets here) or by a supervisor
 * in the portal; the decision recorded on the spec as the portal records its own, said in the
 * comment, journaled, then handed to the waiting run. Where runs park (a job of the GitHub Action,
 * runPlace.ts) no run waits: the gate parks its question (the engine saves the run), and the
 * decision, in a later job, answers it through engine.answerQuestion, which continues the run here.
 */
import type { GithubJournalEvent } from '../core/api';
import type { Parked, SpecDecision, SpecDecisionRequest } from '../core/host';
import type { LaterAnswer } from '../core/engine';
import { engine, type GateSpec } from '../core/engineBundle';
import type { GithubClient } from './client';
import { specComment, type GateState } from './comments';
import type { ChannelPlace } from './runPlace';
import type { GithubStore, IssueLink } from './store';

/** What the gates need of the channel (channel.ts keeps the runs going here). */
export interface GatesDoor {
  workspace: string;
  client: GithubClient;
  store: GithubStore;
  place: ChannelPlace;
  journal(runId: string, event: GithubJournalEvent): Promise<void>;
  /** A short note on the run's issue. */
  say(link: IssueLink, text: string): Promise<void>;
  /** The end of the run when it goes here; undefined when it does not. */
  done(runId: string): Promise<void> | undefined;
  /** A run parked by an older version (its link names no question), continued here with its decision kept on its link as `decided`. */
  continueHere(link: IssueLink, detail: string): Promise<void>;
  /**
   * A parked gate's question answered through engine.answerQuestion, the run continued here:
   * `accepted` once the engine took the answer, `refused` (nothing done) when the gate refused it.
   */
  answerHere(link: IssueLink, detail: string, answer: GateAnswer): Promise<void>;
  /** A gate asked or answered (the portal's pages re-read). */
  changed(): void;
}

/** A parked gate's answer for engine.answerQuestion, and what is said once it is taken or refused. */
export interface GateAnswer {
  questionId: string;
  given: LaterAnswer;
  accepted(): Promise<void>;
  refused(why: string): Promise<void>;
}

/** A decision on a run parked at its gate: who (`by`, a login) said it, and where. */
interface ParkedDecision {
  link: IssueLink;
  request: SpecDecisionRequest;
  decision: SpecDecision;
  by: string;
  url: string;
}

interface Waiting {
  link: IssueLink;
  request: SpecDecisionRequest;
  resolve(decision: SpecDecision): void;
}

export type GithubGateSpec = GateSpec & { github: { issue: number; issueUrl: string; commentUrl?: string } };

export class IssueGates {
  private readonly waiting = new Map<string, Waiting>();
  /** Decisions that arrived before their resumed run reached its gate again: told when it does. */
  private readonly arrivals = new Map<string, () => void>();

  constructor(private readonly door: GatesDoor) {}

  /**
   * The run's gate: the spec comment posted (or edited in place), then the answer from the issue or
   * the portal. Where runs park, the question is parked (kept on the link with its id): the engine
   * saves the run, and the decision continues it (continueParked).
   */
  async ask(link: IssueLink, request: SpecDecisionRequest): Promise<SpecDecision | Parked> {
    const { place, store } = this.door;
    link.specId = request.specId;
    link.status = 'waiting';
    if (place.parks) link.parked = request;
    await store.record(link);
    const posted = await this.postSpec(link, request, { state: 'waiting' });
    await this.door.journal(link.runId, { type: 'github.spec.posted', url: posted });
    if (place.parks) {
      this.door.changed();
      return { parked: `it waits for the decision on its spec on issue #${link.issue}` };
    }
    const answer = new Promise<SpecDecision>((resolve) => this.waiting.set(link.runId, { link, request, resolve }));
    this.arrivals.get(link.runId)?.();
    this.arrivals.delete(link.runId);
    this.door.changed();
    return answer;
  }

  async postSpec(link: IssueLink, request: SpecDecisionRequest, gate: GateState): Promise<string> {
    const budget = this.door.place.budget?.();
    const body = specComment({
      specId: request.specId,
      specPath: request.specPath,
      markdown: request.markdown,
      ...(request.phase ? { phase: request.phase } : {}),
      ...(request.placement ? { placement: request.placement } : {}),
      ...(budget ? { budget } : {}),
      gate,
    });
    const { client, store } = this.door;
    const made =
      link.specCommentId !== undefined
        ? await client.editComment(link.specCommentId, body)
        : await client.comment(link.issue, body);
    link.specCommentId = made.id;
    link.specCommentUrl = made.url;
    await store.record(link);
    return made.url;
  }

  /** `/approve` or `/changes` from a writer on the issue. */
  async decide(link: IssueLink, decision: SpecDecision, by: string, url: string): Promise<void> {
    const done = this.door.done(link.runId);
    // Resumed after a restart, on its way back to the gate it waited at: the decision waits for it.
    if (done && !this.waiting.has(link.runId) && link.status === 'waiting') {
      await Promise.race([
        new Promise<void>((resolve) => {
          const earlier = this.arrivals.get(link.runId);
          this.arrivals.set(link.runId, () => (earlier?.(), resolve()));
        }),
        done,
      ]);
    }
    if (!done && link.parked && link.status === 'waiting')
      return this.continueParked({ link, request: link.parked, decision, by, url });
    const waiting = this.waiting.get(link.runId);
    if (!waiting) {
      await this.door.say(link, `@${by}: run ${link.runId} is not waiting for a decision (${link.status}).`);
      return;
    }
    const refused = await this.settle(waiting, decision, { login: by }, url);
    if (refused) await this.door.say(link, `@${by}: ${refused}`);
  }

  /** The specs of runs started here waiting at their gate, as the portal's Specs page lists them (with their issue). */
  async waitingSpecs(): Promise<GithubGateSpec[]> {
    const out: GithubGateSpec[] = [];
    for (const { link, request } of this.waiting.values()) {
      if (request.phase !== undefined) continue;
      const spec = (await engine.specsAtGate(await engine.runFilesRoot(this.door.workspace, link.runId))).find(
        (s) => s.id === request.specId,
      );
      if (spec)
        out.push({
          ...spec,
          github: {
            issue: link.issue,
            issueUrl: link.issueUrl,
            ...(link.specCommentUrl ? { commentUrl: link.specCommentUrl } : {}),
          },
        });
    }
    return out;
  }

  /** A supervisor's decision in the portal on a spec waiting here: false when none waits with that id. */
  async decideInPortal(
    specId: string,
    decision: SpecDecision,
    by: string,
  ): Promise<{ decided: boolean; refused?: string }> {
    const waiting = [...this.waiting.values()].find(
      (w) => w.request.specId === specId && w.request.phase === undefined,
    );
    if (!waiting) return { decided: false };
    const refused = await this.settle(waiting, decision, { portal: by });
    return refused ? { decided: false, refused } : { decided: true };
  }

  /** What the run's gate waits for here, if it does. */
  waitingFor(runId: string): SpecDecisionRequest | undefined {
    return this.waiting.get(runId)?.request;
  }

  /** The run ended here: nothing waits at its gate any more. */
  ended(runId: string): void {
    this.waiting.delete(runId);
    this.arrivals.get(runId)?.();
    this.arrivals.delete(runId);
  }

  /**
   * The decision on a run parked at its gate (runPlace.ts): the parked question answered through
   * engine.answerQuestion (which records it on the spec with the gate's checks), said and journaled
   * as any gate's answer once taken, and the run continued here: approved, it implements; sent back,
   * its spec agent writes again and the gate asks (and parks) again. Refused, the run stays parked.
   */
  private async continueParked(parked: ParkedDecision): Promise<void> {
    const { link, request, decision, by } = parked;
    if (decision.action === 'changes' && !decision.feedback.trim()) {
      await this.door.say(
        link,
        `@${by}: say what to change (\`/changes <what>\`): the feedback goes to the spec agent. Nothing was done.`,
      );
      return;
    }
    const { questionId } = request;
    if (questionId === undefined) return this.continueUnnamed(parked);
    const who = `github:${by}`;
    // Kept on the link until the run journals it: a job that dies once the engine took the answer
    // leaves it for the next one, which continues the saved run with it (recovery.ts goOn).
    this.going(link, decision, who);
    // The Action's job pushes its state with the lease first: of two jobs answering at once, one acts.
    await this.door.client.claim();
    const given: LaterAnswer =
      decision.action === 'changes'
        ? { answer: 'changes', feedback: decision.feedback, by: who }
        : { answer: 'approve', by: who };
    await this.door.answerHere(link, `continued after @${by}'s ${decision.action}`, {
      questionId,
      given,
      accepted: () => this.decided(parked),
      refused: async (why) => {
        link.status = 'waiting';
        link.parked = request;
        delete link.decided;
        this.door.store.put(link);
        await this.door.say(link, `@${by}: ${why}`);
      },
    });
  }

  /**
   * Read-only compatibility: a run parked at its gate by a version before issue 72 names no question
   * on its link (its gate was answered `save`, nothing parked in its journal): the decision is
   * recorded here and the saved run continued with it (recovery.ts goOn), as that version did.
   */
  private async continueUnnamed(parked: ParkedDecision): Promise<void> {
    const { link, request, decision, by } = parked;
    const refused = await this.recordDecision(link, request, decision, `github:${by}`);
    if (refused) {
      await this.door.say(link, `@${by}: ${refused}`);
      return;
    }
    this.going(link, decision, `github:${by}`);
    await this.decided(parked);
    await this.door.continueHere(link, `continued after @${by}'s ${decision.action}`);
  }

  /** A parked run decided: going again, its decision kept on its link until the run journals it. */
  private going(link: IssueLink, decision: SpecDecision, by: string): void {
    link.status = 'running';
    delete link.parked;
    link.decided =
      decision.action === 'changes' ? { action: 'changes', feedback: decision.feedback, by } : { action: 'approve' };
    this.door.store.put(link);
  }

  /** A parked gate's decision, taken: said in the spec comment and journaled as any gate's answer. */
  private async decided({ link, request, decision, by, url }: ParkedDecision): Promise<void> {
    await this.postSpec(link, request, { state: 'decided', action: decision.action, by: `@${by}` });
    await this.door.journal(link.runId, { type: 'github.spec.decided', url, by, detail: decision.action });
    this.door.changed();
  }

  /**
   * The spec gate's decision recorded as the portal records its decisions (the spec's front matter,
   * spec-decisions.jsonl): the same gate, the same checks (an approval with work no layer owns is
   * refused). A phase's gate journals its decision as the run goes on. Returns why it was refused.
   */
  private async recordDecision(
    link: IssueLink,
    request: SpecDecisionRequest,
    decision: SpecDecision,
    by: string,
  ): Promise<string | undefined> {
    if (request.phase !== undefined) return undefined;
    try {
      await engine.decideSpecAs(await engine.runFilesRoot(this.door.workspace, link.runId), request.specId, {
        action: decision.action,
        by,
        ...(decision.action === 'changes' ? { feedback: decision.feedback } : {}),
      });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /**
   * The gate's answer, from the issue or the portal: recorded on the spec, said in the spec comment,
   * journaled, then handed to the engine. Returns why it was refused, if it was.
   */
  private async settle(
    waiting: Waiting,
    decision: SpecDecision,
    who: { login: string } | { portal: string },
    url?: string,
  ): Promise<string | undefined> {
    const { link, request } = waiting;
    const by = 'login' in who ? who.login : who.portal;
    const refused = await this.recordDecision(link, request, decision, 'login' in who ? `github:${by}` : by);
    if (refused) return refused;
    this.waiting.delete(link.runId);
    link.status = 'running';
    this.door.store.put(link);
    const posted = await this.postSpec(link, request, {
      state: 'decided',
      action: decision.action,
      by: 'login' in who ? `@${by}` : `${by} in the portal`,
    });
    await this.door.journal(link.runId, {
      type: 'github.spec.decided',
      url: url ?? posted,
      by,
      detail: 'login' in who ? decision.action : `${decision.action} (portal)`,
    });
    this.door.changed();
    waiting.resolve(decision);
    return undefined;
  }
}
