/**
 * The event a job runs for (GITHUB_EVENT_NAME, and its payload in the file GITHUB_EVENT_PATH
 * names), and the issue whose run it concerns: an issue's own events name it; an event of a pull
 * request (a review, a comment on it, a CI result) names ours by its body (`Closes #<issue>` and
 * the run's marker, comments.ts); `workflow_dispatch` names a spec, looked up in the issues' states.
 * An event whose pull request's head is in another repository (a fork) is refused here, before
 * anything of the run is read: nothing runs for it and no model is called.
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import type { GithubClient } from '../client';
import { commandOf } from '../commands';
import { issueOfPull } from '../comments';
import {
  CHANNEL_EVENTS,
  checkRunPayload,
  issueCommentPayload,
  issuesPayload,
  pullRequestReviewPayload,
  workflowRunPayload,
} from '../payloads';

/** GitHub caps a payload at 25 MB; the events a job reads are far smaller. */
const EVENT_FILE_BYTES = 5 * 1024 * 1024;

export interface JobEvent {
  name: string;
  payload: unknown;
}

export type Target =
  | { kind: 'ignored'; why: string }
  /** A fork's pull request: refused; `say`: someone asked for something there (a command, changes requested), so a comment says why. */
  | { kind: 'fork'; pull: number; head: string; say: boolean }
  | { kind: 'issue'; issue: number }
  | { kind: 'spec'; specId: string };

const dispatchPayload = z.object({ inputs: z.optional(z.nullable(z.record(z.string(), z.unknown()))) });

export async function readJobEvent(env: NodeJS.ProcessEnv): Promise<JobEvent> {
  const name = env.GITHUB_EVENT_NAME?.trim();
  const path = env.GITHUB_EVENT_PATH?.trim();
  if (!name || !path)
    throw new Error('GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: the action runs in a GitHub Actions job');
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new Error(`the event file ${path} (GITHUB_EVENT_PATH) cannot be read: ${error.message}`);
  });
  if (text.length > EVENT_FILE_BYTES) throw new Error(`the event file ${path} is over ${EVENT_FILE_BYTES} bytes`);
  try {
    return { name, payload: JSON.parse(text) as unknown };
  } catch (error) {
    throw new Error(`the event file ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** Which issue's run the event is about, or why it is ignored or refused. */
export async function targetOf(event: JobEvent, client: GithubClient, repository: string): Promise<Target> {
  const { name, payload } = event;
  const ours = (full: string | undefined) => full === undefined || full.toLowerCase() === repository.toLowerCase();
  if (name === 'workflow_dispatch') {
    const specId = dispatchPayload.safeParse(payload).data?.inputs?.['spec-id'];
    return typeof specId === 'string' && specId.trim()
      ? { kind: 'spec', specId: specId.trim() }
      : { kind: 'ignored', why: 'workflow_dispatch without its spec-id input' };
  }
  if (!(CHANNEL_EVENTS as string[]).includes(name)) return { kind: 'ignored', why: `${name} events are not acted on` };
  const bad = () => ({ kind: 'ignored' as const, why: `the ${name} payload lacks the fields GitHub sends` });
  const ofPull = async (pull: number, say: boolean, head?: string): Promise<Target> => {
    if (!ours(head)) return { kind: 'fork', pull, head: head!, say };
    const found = await client.pullRequest(pull);
    if (!ours(found.headRepository)) return { kind: 'fork', pull, head: found.headRepository!, say };
    const issue = issueOfPull(found.body);
    return issue
      ? { kind: 'issue', issue }
      : { kind: 'ignored', why: `pull request #${pull} is not one the orchestrator opened` };
  };
  switch (name) {
    case 'issues': {
      const parsed = issuesPayload.safeParse(payload);
      return parsed.success ? { kind: 'issue', issue: parsed.data.issue.number } : bad();
    }
    case 'issue_comment': {
      const parsed = issueCommentPayload.safeParse(payload);
      if (!parsed.success) return bad();
      const { issue, comment } = parsed.data;
      return issue.pull_request === undefined
        ? { kind: 'issue', issue: issue.number }
        : ofPull(issue.number, commandOf(comment.body) !== undefined);
    }
    case 'pull_request_review': {
      const parsed = pullRequestReviewPayload.safeParse(payload);
      if (!parsed.success) return bad();
      const { pull_request: pull, review } = parsed.data;
      return ofPull(pull.number, review.state.toLowerCase() === 'changes_requested', pull.head?.repo?.full_name);
    }
    case 'check_run':
    case 'workflow_run': {
      const parsed = name === 'check_run' ? checkRunPayload.safeParse(payload) : workflowRunPayload.safeParse(payload);
      if (!parsed.success) return bad();
      const run = 'check_run' in parsed.data ? parsed.data.check_run : parsed.data.workflow_run;
      const head = 'head_repository' in run ? run.head_repository?.full_name : undefined;
      // GitHub lists no pull request for a fork's head: nothing of ours to fix there.
      const pull = run.pull_requests[0]?.number;
      if (head && !ours(head)) return { kind: 'fork', pull: pull ?? 0, head, say: false };
      return pull
        ? ofPull(pull, false)
        : { kind: 'ignored', why: `the ${name} names no pull request of this repository` };
    }
    default:
      return { kind: 'ignored', why: `${name} events are not acted on` };
  }
}
