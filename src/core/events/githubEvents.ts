// The GitHub channel's events (src/github), split from events.ts by family.

/** What the GitHub channel did or heard for this run (issue 39): `url` of what was made or read, never a token. */
export type GithubEvent = { type: GithubEventType; url: string; by?: string; detail?: string };

/** The GitHub channel's journal entries (issue 39, src/github): each names the URL of what it made or heard. */
export type GithubEventType =
  | 'github.issue.linked'
  | 'github.spec.posted'
  | 'github.spec.decided'
  | 'github.decision.refused'
  | 'github.pushed'
  | 'github.pr.opened'
  | 'github.pr.updated'
  | 'github.ci.failed'
  | 'github.ci.fixed'
  | 'github.ci.limit'
  | 'github.change.requested'
  | 'github.cancelled'
  // A confirmation asked by a comment on the issue, and its answer (`/allow`, `/deny`, or none within limits.confirmationWaitSec).
  | 'github.confirmation.asked'
  | 'github.confirmation.decided';
