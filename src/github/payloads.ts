/**
 * The parts of GitHub's webhook payloads the channel reads (GitHub's docs, "Webhook events and
 * payloads"), zod-checked: anything else in a payload is ignored, a payload without these fields is
 * refused (400) before anything acts on it.
 */
import * as z from 'zod/mini';

const user = z.object({ login: z.string().check(z.minLength(1), z.maxLength(100)), type: z.optional(z.string()) });
const repository = z.object({ full_name: z.string(), html_url: z.optional(z.string()) });
const installation = z.optional(z.nullable(z.object({ id: z.number() })));
const issue = z.object({
  number: z.number().check(z.int(), z.positive()),
  title: z.string().check(z.maxLength(1024)),
  body: z.optional(z.nullable(z.string().check(z.maxLength(65_536)))),
  html_url: z.string(),
  user: user,
  /** Present when the "issue" is a pull request (issue_comment on a pull request). */
  pull_request: z.optional(z.unknown()),
});

export const issuesPayload = z.object({
  action: z.string(),
  label: z.optional(z.nullable(z.object({ name: z.string() }))),
  issue,
  repository,
  sender: user,
  installation,
});
export type IssuesPayload = z.infer<typeof issuesPayload>;

export const issueCommentPayload = z.object({
  action: z.string(),
  issue,
  comment: z.object({ id: z.number(), body: z.string().check(z.maxLength(65_536)), html_url: z.string(), user: user }),
  repository,
  sender: user,
  installation,
});
export type IssueCommentPayload = z.infer<typeof issueCommentPayload>;

/** The pull requests a check names (GitHub lists those whose head branch or commit it checked; none for a fork's). */
const pullRefs = z.array(z.object({ number: z.number().check(z.int(), z.positive()) }));
const sha = z.string().check(z.regex(/^[0-9a-f]{40}$/));

export const checkRunPayload = z.object({
  action: z.string(),
  check_run: z.object({
    id: z.number(),
    name: z.string().check(z.maxLength(1024)),
    head_sha: sha,
    conclusion: z.nullable(z.string()),
    html_url: z.optional(z.nullable(z.string())),
    details_url: z.optional(z.nullable(z.string())),
    app: z.optional(z.nullable(z.object({ slug: z.optional(z.string()) }))),
    output: z.optional(
      z.object({
        title: z.optional(z.nullable(z.string())),
        summary: z.optional(z.nullable(z.string())),
        text: z.optional(z.nullable(z.string())),
      }),
    ),
    pull_requests: pullRefs,
  }),
  repository,
  sender: user,
  installation,
});
export type CheckRunPayload = z.infer<typeof checkRunPayload>;

export const workflowRunPayload = z.object({
  action: z.string(),
  workflow_run: z.object({
    id: z.number(),
    name: z.optional(z.nullable(z.string().check(z.maxLength(1024)))),
    head_sha: sha,
    conclusion: z.nullable(z.string()),
    html_url: z.string(),
    pull_requests: pullRefs,
    /** Where its head commit lives: another repository for a fork's pull request. */
    head_repository: z.optional(z.nullable(z.object({ full_name: z.string() }))),
  }),
  repository,
  sender: user,
  installation,
});
export type WorkflowRunPayload = z.infer<typeof workflowRunPayload>;

export const pullRequestReviewPayload = z.object({
  action: z.string(),
  review: z.object({
    id: z.number(),
    state: z.string(),
    body: z.optional(z.nullable(z.string().check(z.maxLength(65_536)))),
    html_url: z.string(),
    user: user,
  }),
  pull_request: z.object({
    number: z.number().check(z.int(), z.positive()),
    html_url: z.string(),
    /** Where its head lives: another repository for a fork's pull request. */
    head: z.optional(z.object({ repo: z.optional(z.nullable(z.object({ full_name: z.string() }))) })),
  }),
  repository,
  sender: user,
  installation,
});
export type PullRequestReviewPayload = z.infer<typeof pullRequestReviewPayload>;

/**
 * A merge queue's group (issue 74): `checks_requested` names the group's head (its base and one
 * commit per pull request queued, on the branch `head_ref`) and the base it was built on.
 */
export const mergeGroupPayload = z.object({
  action: z.string(),
  merge_group: z.object({
    head_sha: sha,
    head_ref: z.string().check(z.regex(/^refs\/heads\/[\w./-]{1,250}$/)),
    base_sha: sha,
    base_ref: z.optional(z.string()),
  }),
  repository,
  sender: z.optional(z.nullable(user)),
  installation,
});
export type MergeGroupPayload = z.infer<typeof mergeGroupPayload>;

/** What a delivery is, by X-GitHub-Event and its `action`: only these are acted on. */
export const HANDLED_EVENTS = [
  'issues',
  'issue_comment',
  'check_run',
  'workflow_run',
  'pull_request_review',
  'merge_group',
  'ping',
] as const;

/** The deliveries the channel reads, by event name: any other event is accepted and ignored. */
const READ = {
  issues: issuesPayload,
  issue_comment: issueCommentPayload,
  check_run: checkRunPayload,
  workflow_run: workflowRunPayload,
  pull_request_review: pullRequestReviewPayload,
  merge_group: mergeGroupPayload,
} as const;

/** The events the channel reads (a GitHub Action's job of any other event is ignored). */
export const CHANNEL_EVENTS = Object.keys(READ) as (keyof typeof READ)[];

/** Whether a delivery is one the channel reads, or of an event it ignores (400 otherwise). */
export function understood(event: string, payload: unknown): boolean {
  const schema = READ[event as keyof typeof READ] as { safeParse(value: unknown): { success: boolean } } | undefined;
  return schema === undefined || schema.safeParse(payload).success;
}

/** Whether a delivery names the repository `owner/repo` (GitHub compares names without case). */
export function ofRepository(payload: unknown, owner: string, repo: string): boolean {
  const name = (payload as { repository?: { full_name?: unknown } } | null)?.repository?.full_name;
  return typeof name === 'string' && name.toLowerCase() === `${owner}/${repo}`.toLowerCase();
}
