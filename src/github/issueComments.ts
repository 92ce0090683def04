/** The `/orchestrator` commands said on an issue or its pull request: who may, and what each does (channel.ts keeps the runs). */
import type { GithubJournalEvent } from '../core/api';
import type { GithubClient } from './client';
import { OUR_MARKER } from './comments';
import { commandOf } from './commands';
import type { IssueConfirmations } from './issueConfirmations';
import type { IssueGates } from './issueGates';
import type { IssueCommentPayload, IssuesPayload } from './payloads';
import type { PooledIssues } from './pooledIssues';
import type { GithubStore, IssueLink } from './store';

/** What the channel lends the commands. */
export interface CommentDoor {
  client: GithubClient;
  store: GithubStore;
  confirmations: IssueConfirmations;
  gates: IssueGates;
  journal(runId: string, event: GithubJournalEvent): Promise<void>;
  say(link: IssueLink, text: string): Promise<void>;
  refused?(by: string, what: string): void;
  start(issue: IssuesPayload['issue'], kind: 'feature' | 'bugfix', by: string): Promise<void>;
  /** A change request to the run or its pull request (followUps.ts). */
  change(link: IssueLink, text: string, by: string, url: string): Promise<void>;
  pooled(): PooledIssues;
  cancel(link: IssueLink, by: string, url: string): Promise<void>;
  /** The run's end when it goes (or winds down after parking) in this process. */
  done(runId: string): Promise<void> | undefined;
}

export async function onIssueComment(door: CommentDoor, payload: IssueCommentPayload): Promise<void> {
  if (payload.action !== 'created') return;
  const { comment, issue } = payload;
  if (OUR_MARKER.test(comment.body) || comment.user.login === door.client.ownLogin) return;
  const command = commandOf(comment.body);
  if (!command) return;
  if (command.kind === 'start') {
    if (issue.pull_request === undefined) await door.start(issue, command.run, comment.user.login);
    return;
  }
  const link =
    door.store.ofIssue(issue.number) ??
    (issue.pull_request !== undefined ? door.store.ofPull(issue.number) : undefined);
  if (!link) return;
  if (!(await door.client.canWrite(comment.user.login))) {
    door.refused?.(comment.user.login, command.kind);
    await door.journal(link.runId, {
      type: 'github.decision.refused',
      url: comment.html_url,
      by: comment.user.login,
      detail: command.kind,
    });
    await door.say(
      link,
      `@${comment.user.login}: only collaborators with write access may ${command.kind === 'cancel' ? 'cancel' : 'decide'} this run. Nothing was done.`,
    );
    return;
  }
  if (command.kind === 'change') return door.change(link, command.text, comment.user.login, comment.html_url);
  if (command.kind === 'allow' || command.kind === 'deny') {
    const allowed = command.kind === 'allow';
    return door.confirmations.decide(link, allowed, comment.user.login, comment.html_url, door.done(link.runId));
  }
  if (link.pooled) {
    if (command.kind === 'cancel') return door.pooled().cancel(link, comment.user.login, comment.html_url);
    return door
      .pooled()
      .decide(
        link,
        command.kind === 'approve' ? { action: 'approve' } : { action: 'changes', feedback: command.text },
        comment.user.login,
        comment.html_url,
      );
  }
  if (command.kind === 'cancel') return door.cancel(link, comment.user.login, comment.html_url);
  if (command.kind === 'approve' || command.kind === 'changes')
    return door.gates.decide(
      link,
      command.kind === 'approve' ? { action: 'approve' } : { action: 'changes', feedback: command.text },
      comment.user.login,
      comment.html_url,
    );
}
