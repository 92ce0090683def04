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

/** What a delivery is, by X-GitHub-Event and its `action`: only these are acted on. */
export const HANDLED_EVENTS = ['issues', 'issue_comment', 'check_run', 'workflow_run', 'pull_request_review', 'ping'] as const;
