/**
 * Change requests on a pull request while its run still goes on the pool (issue 39). The pool
 * carries decisions to a run at its gate only (its flags), not a change request into a worker's
 * running engine (the engine's inbox is a file of the run's worktree, on the worker). So the
 * request is held in the channel's store (the repository's data folder: a kill of serve loses
 * none) on the link of the run going, and becomes the follow-up a change request to a finished run
 * is (followUps.ts, same path, same spec gate) once that run has completed and pushed; several held
 * meanwhile are joined into one, in order. A run that ends otherwise drops them, said on the pull
 * request (its result is not the branch's: the change would build on nothing new).
 */
import type { EngineEvent, GithubEventType } from '../core/events';
import type { GithubStore, HeldChange, IssueLink } from './store';

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

export interface HeldDoor {
  store: GithubStore;
  /** A short note on the pull request (on the issue while there is none). */
  say(link: IssueLink, text: string): Promise<void>;
  journal(runId: string, event: GithubEvent): Promise<void>;
  /**
   * The change as a follow-up of the pull request (followUps.ts `startChange`; `who`: "@alice, @bob"):
   * the run started, or undefined when it could not be (said there). `taken` just before its link is stored.
   */
  start(link: IssueLink, text: string, who: string, intro: string, taken: () => void): Promise<IssueLink | undefined>;
}

/** Held requests joined are one change request (the engine's inbox takes as much). */
export const MAX_HELD_CHARS = 20_000;

const whoOf = (held: readonly HeldChange[]) => [...new Set(held.map((h) => `@${h.by}`))].join(', ');

export class HeldChanges {
  constructor(private readonly door: HeldDoor) {}

  /** The request kept on the going run's link (on disk when said), its note on the pull request. */
  async hold(link: IssueLink, change: HeldChange): Promise<void> {
    const held = link.heldChanges ?? [];
    const size = held.reduce((sum, h) => sum + h.text.length + 2, 0) + change.text.length;
    if (size > MAX_HELD_CHARS) {
      await this.door.say(
        link,
        `@${change.by}: the changes held for run ${link.runId} would pass ${MAX_HELD_CHARS} characters with this one: it was not held. Ask again once run ${link.runId} has pushed its result.`,
      );
      return;
    }
    link.heldChanges = [...held, change];
    this.door.store.put(link);
    const count = link.heldChanges.length > 1 ? ` (${link.heldChanges.length} held, joined in order)` : '';
    const after = link.pull ? 'has pushed its result to this pull request' : 'has opened its pull request';
    await this.door.say(
      link,
      `@${change.by}: run ${link.runId} still goes on the pool, so the change is held${count}: it starts as a follow-up once run ${link.runId} ${after}, and its amendment then waits for approval in the spec comment.`,
    );
  }

  /**
   * The run of `link` ended (or was found ended as serve started): its held requests started as
   * one follow-up when it completed with a pull request, else dropped. Taken off the link (in
   * memory) just before the follow-up's link is stored, so one write holds both: serve killed
   * before it still has them, after it has the follow-up instead; never started twice.
   */
  async release(link: IssueLink): Promise<void> {
    const held = link.heldChanges;
    if (!held?.length || link.status === 'running' || link.status === 'waiting') return;
    const taken = () => delete link.heldChanges;
    const who = whoOf(held);
    const many = held.length > 1;
    try {
      if (link.status !== 'completed' || !link.pull || !link.branch) {
        taken();
        this.door.store.put(link);
        const why = link.status === 'completed' ? 'completed without a pull request' : `ended ${link.status}`;
        await this.door.say(
          link,
          `Run ${link.runId} ${why}: the change${many ? 's' : ''} ${who} requested while it went ${many ? 'are' : 'is'} dropped, nothing was started. Ask again with \`/orchestrator change <what to change>\` once the pull request is as you want to build on.`,
        );
        return;
      }
      const text = held.map((h) => h.text).join('\n\n');
      const intro = many
        ? `The ${held.length} changes requested by ${who} while run ${link.runId} went (joined in order)`
        : `The change requested by ${who} while run ${link.runId} went`;
      const next = await this.door.start(link, text, who, intro, taken);
      for (const h of next ? held : [])
        await this.door.journal(next!.runId, {
          type: 'github.change.requested',
          url: h.url,
          by: h.by,
          detail: `held while run ${link.runId} went: ${h.text.split('\n')[0]!.slice(0, 160)}`,
        });
    } finally {
      // Not started (said there): not held any more either.
      taken();
      this.door.store.put(link);
    }
  }
}
