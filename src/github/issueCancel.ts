/**
 * `/cancel` of a run of the channel (issue 39; issue 48 for a job's runs): one going here has its
 * agents stopped; one parked (at its gate, on a confirmation) or going in another job of its issue
 * is marked on its link, which that job reads between its steps (action/jobState.ts). Either way
 * the spec comment or the question says so, a follow-up's unfinished work is put away, and the
 * cancel is journaled and said on the issue.
 */
import type { GithubJournalEvent } from '../core/api';
import type { IssueConfirmations } from './issueConfirmations';
import type { IssueGates } from './issueGates';
import type { GithubStore, IssueLink } from './store';

/** What the cancel needs of the channel (channel.ts keeps the runs going here). */
export interface CancelDoor {
  store: GithubStore;
  gates: IssueGates;
  confirmations: IssueConfirmations;
  journal(runId: string, event: GithubJournalEvent): Promise<void>;
  say(link: IssueLink, text: string): Promise<void>;
  /** A follow-up's unfinished work put away (followUps.ts); what to say of it. */
  putAway(link: IssueLink): Promise<string>;
  /** The run going in this process: its abort and its end. */
  live(runId: string): { controller: AbortController; done?: Promise<void> } | undefined;
  /** The run is going in another process of this place, or parked. */
  elsewhere(runId: string): boolean;
}

export async function cancelRun(door: CancelDoor, link: IssueLink, by: string, url: string): Promise<void> {
  const live = door.live(link.runId);
  if (!live && door.elsewhere(link.runId)) return cancelElsewhere(door, link, by, url);
  if (!live) {
    await door.say(link, `@${by}: run ${link.runId} is not running (${link.status}).`);
    return;
  }
  // Parked and still winding down here: its spec comment says it was cancelled, as a parked one's does.
  const parked = link.parked;
  link.status = 'cancelled';
  delete link.parked;
  door.store.put(link);
  await door.journal(link.runId, { type: 'github.cancelled', url, by });
  live.controller.abort();
  await live.done;
  await door.confirmations.cancelled(link);
  if (parked) await door.gates.postSpec(link, parked, { state: 'cancelled', by });
  const kept = link.of ? await door.putAway(link) : '';
  await door.say(link, `Run ${link.runId} cancelled by @${by}: its agents were stopped.${kept}`);
}

/**
 * `/cancel` of a run not going in this process: parked at its gate (its spec comment says so), set
 * aside on a confirmation (its question does), or going in another job of its issue, which reads the
 * mark between its steps and stops its agents. Marked on the run's link, journaled, said.
 */
async function cancelElsewhere(door: CancelDoor, link: IssueLink, by: string, url: string): Promise<void> {
  const parked = link.parked;
  const confirming = link.confirmation?.parked !== undefined;
  link.status = 'cancelled';
  link.cancelledBy = by;
  delete link.parked;
  door.store.put(link);
  await door.journal(link.runId, { type: 'github.cancelled', url, by });
  if (parked) await door.gates.postSpec(link, parked, { state: 'cancelled', by });
  if (confirming) await door.confirmations.cancelled(link);
  const kept = link.of && (parked || confirming) ? await door.putAway(link) : '';
  const where = parked
    ? 'it was waiting at its gate'
    : confirming
      ? 'it was waiting for the answer to its confirmation'
      : 'the job running it stops its agents at its next step';
  await door.say(link, `Run ${link.runId} cancelled by @${by}: ${where}.${kept}`);
}
