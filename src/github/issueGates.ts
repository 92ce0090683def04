/**
 * The spec gate of the channel's runs, on their issue (issue 39): the spec posted as one comment
 * (edited in place as it is decided), decided by `/approve` or `/changes <what>` from a
 * collaborator with write access (the channel asks GitHub before it gets here) or by a supervisor
 * in the portal; the decision recorded on the spec as the portal records its own, said in the
 * comment, journaled. No process waits (issue 72): the gate parks its question, kept on the run's
 * link (the engine saves the run), and the decision, in this serve, a restarted one or a later job
 * of the GitHub Action, answers it through engine.answerQuestion, which continues the run here.
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
  /** The end of the run when it goes (or winds down after parking) here; undefined when it does not. */
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

/** A decision on a run parked at its gate: who said it (a login on GitHub, a supervisor in the portal), and where. */
interface ParkedDecision {
  link: IssueLink;
  request: SpecDecisionRequest;
  decision: SpecDecision;
  who: { login: string } | { portal: string };
  url?: string;
}

const byOf = (who: ParkedDecision['who']) => ('login' in who ? who.login : who.portal);
const continuedAfter = (who: ParkedDecision['who'], decision: SpecDecision) =>
  `continued after ${'login' in who ? `@${who.login}'s` : `${who.portal}'s (portal)`} ${decision.action}`;

export type GithubGateSpec = GateSpec & { github: { issue: number; issueUrl: string; commentUrl?: string } };

export class IssueGates {
  constructor(private readonly door: GatesDoor) {}

  /**
   * The run's gate: the spec comment posted (or edited in place) and the question parked, kept on
   * the link with its id: the engine saves the run, and the decision continues it (continueParked).
   */
  async ask(link: IssueLink, request: SpecDecisionRequest): Promise<Parked> {
    const { store } = this.door;
    link.specId = request.specId;
    link.status = 'waiting';
    link.parked = request;
    await store.record(link);
    const posted = await this.postSpec(link, request, { state: 'waiting' });
    await this.door.journal(link.runId, { type: 'github.spec.posted', url: posted });
    this.door.changed();
    return { parked: `it waits for the decision on its spec on issue #${link.issue}` };
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
    // Parked, its run may still be winding down here: the decision waits for its end, not lost.
    await this.door.done(link.runId);
    if (link.parked && link.status === 'waiting')
      return void (await this.continueParked({ link, request: link.parked, decision, who: { login: by }, url }));
    await this.door.say(link, `@${by}: run ${link.runId} is not waiting for a decision (${link.status}).`);
  }

  /** The runs' links parked at their spec gate (not a phase's). */
  private parkedAtGate(): (IssueLink & { parked: SpecDecisionRequest })[] {
    return this.door.store
      .links()
      .filter(
        (l): l is IssueLink & { parked: SpecDecisionRequest } =>
          !l.pooled && l.status === 'waiting' && l.parked !== undefined && l.parked.phase === undefined,
      );
  }

  /** The specs of runs parked at their gate, as the portal's Specs page lists them (with their issue). */
  async waitingSpecs(): Promise<GithubGateSpec[]> {
    const out: GithubGateSpec[] = [];
    for (const link of this.parkedAtGate()) {
      const spec = (await engine.specsAtGate(await engine.runFilesRoot(this.door.workspace, link.runId))).find(
        (s) => s.id === link.parked.specId,
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

  /**
   * A supervisor's decision in the portal on a spec parked here: false when none waits with that id;
   * refused (the gate's checks, or feedback missing) with why.
   */
  async decideInPortal(
    specId: string,
    decision: SpecDecision,
    by: string,
  ): Promise<{ decided: boolean; refused?: string }> {
    const link = this.parkedAtGate().find((l) => l.parked.specId === specId);
    if (!link) return { decided: false };
    await this.door.done(link.runId);
    const refused = await this.continueParked({ link, request: link.parked, decision, who: { portal: by } });
    return refused ? { decided: false, refused } : { decided: true };
  }

  /**
   * The decision on a run parked at its gate: the parked question answered through
   * engine.answerQuestion (which records it on the spec with the gate's checks), said and journaled
   * once taken, and the run continued here: approved, it implements; sent back, its spec agent
   * writes again and the gate asks (and parks) again. Refused, the run stays parked: on GitHub the
   * refusal is said on the issue; the portal is told why (the returned promise, once the engine
   * took or refused the answer).
   */
  private async continueParked(parked: ParkedDecision): Promise<string | undefined> {
    const { link, request, decision, who } = parked;
    const by = byOf(who);
    const refuse = async (why: string) => {
      if ('login' in who) await this.door.say(link, `@${by}: ${why}`);
      return why;
    };
    if (decision.action === 'changes' && !decision.feedback.trim())
      return refuse('say what to change (`/changes <what>`): the feedback goes to the spec agent. Nothing was done.');
    const { questionId } = request;
    if (questionId === undefined) return this.continueUnnamed(parked, refuse);
    const as = 'login' in who ? `github:${by}` : by;
    // Kept on the link until the run journals it: a process that dies once the engine took the
    // answer leaves it for the next one, which continues the saved run with it (recovery.ts goOn).
    this.going(link, decision, as);
    // The Action's job pushes its state with the lease first: of two jobs answering at once, one acts.
    await this.door.client.claim();
    const given: LaterAnswer =
      decision.action === 'changes'
        ? { answer: 'changes', feedback: decision.feedback, by: as }
        : { answer: 'approve', by: as };
    let told!: (why: string | undefined) => void;
    const outcome = new Promise<string | undefined>((resolve) => (told = resolve));
    await this.door.answerHere(link, continuedAfter(who, decision), {
      questionId,
      given,
      accepted: async () => {
        await this.decided(parked);
        told(undefined);
      },
      refused: async (why) => {
        link.status = 'waiting';
        link.parked = request;
        delete link.decided;
        this.door.store.put(link);
        told(await refuse(why));
      },
    });
    // GitHub hears of a refusal on the issue; the portal answers its request with it.
    return 'login' in who ? undefined : outcome;
  }

  /**
   * Read-only compatibility: a run parked at its gate by a version before issue 72 names no question
   * on its link (its gate was answered `save`, nothing parked in its journal): the decision is
   * recorded here and the saved run continued with it (recovery.ts goOn), as that version did.
   */
  private async continueUnnamed(
    parked: ParkedDecision,
    refuse: (why: string) => Promise<string>,
  ): Promise<string | undefined> {
    const { link, request, decision, who } = parked;
    const as = 'login' in who ? `github:${byOf(who)}` : byOf(who);
    const refused = await this.recordDecision(link, request, decision, as);
    if (refused) return refuse(refused);
    this.going(link, decision, as);
    await this.decided(parked);
    await this.door.continueHere(link, continuedAfter(who, decision));
    return undefined;
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
  private async decided({ link, request, decision, who, url }: ParkedDecision): Promise<void> {
    const by = byOf(who);
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
}
