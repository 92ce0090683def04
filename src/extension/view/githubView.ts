/**
 * A run started from a GitHub issue (issue 39), from its `github.*` journal events: links to the
 * issue, the spec comment, the pushed branch and the pull request for the run panel, and a line in
 * the activity log for each decision, refusal, CI report or cancel (links: shared/githubLinks.ts).
 */
import type { Meaning } from '../../core/catalogue';
import type { EngineEvent, GithubEventType } from '../../core/events';
import { githubLinkOf, withGithubLink } from '../../shared/githubLinks';
import type { ActivityLine, RunView } from '../../shared/viewState';

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

const MAX_ACTIVITY = 100;
const isGithub = (event: EngineEvent): event is GithubEvent =>
  event.type.startsWith('github.') && typeof (event as { url?: unknown }).url === 'string';

const SAID: Partial<Record<GithubEventType, (e: GithubEvent) => ActivityLine>> = {
  'github.spec.decided': (e) => ({
    level: 'info',
    text: `GitHub: ${e.by ?? 'someone'} answered the spec: ${e.detail ?? 'decided'}`,
  }),
  'github.decision.refused': (e) => ({
    level: 'warn',
    text: `GitHub: ${e.detail ?? 'a decision'} by @${e.by ?? '?'} refused (no write access)`,
  }),
  'github.ci.failed': (e) => ({ level: 'warn', text: `GitHub: a check failed${e.detail ? ` (${e.detail})` : ''}` }),
  'github.ci.fixed': (e) => ({ level: 'info', text: `GitHub: a fix was pushed${e.detail ? ` (${e.detail})` : ''}` }),
  'github.ci.limit': () => ({
    level: 'warn',
    text: 'GitHub: no more CI fixes for this pull request (github.maxCiFixes)',
  }),
  'github.change.requested': (e) => ({ level: 'info', text: `GitHub: change requested by @${e.by ?? '?'}` }),
  'github.cancelled': (e) => ({ level: 'warn', text: `GitHub: cancelled by @${e.by ?? '?'}` }),
  'github.confirmation.asked': (e) => ({
    level: 'warn',
    text: `GitHub: a confirmation waits on the issue${e.detail ? ` (${e.detail})` : ''}`,
  }),
  'github.confirmation.decided': (e) => ({
    level: 'info',
    text: `GitHub: @${e.by ?? '?'} answered the confirmation: ${e.detail ?? 'decided'}`,
  }),
};

/** `meaning`: the event's, from the catalogue (which of its entries link the run to what). */
export function applyGithubEvent(run: RunView, event: EngineEvent, meaning: Meaning): RunView {
  if (!isGithub(event)) return run;
  const said = SAID[event.type]?.(event);
  const withLine = said ? { ...run, activity: [...run.activity, said].slice(-MAX_ACTIVITY) } : run;
  const link = githubLinkOf(meaning.github);
  if (!link) return withLine;
  // One link per kind, the latest (an updated pull request, a spec comment posted again).
  return { ...withLine, github: withGithubLink(run.github ?? [], link) };
}
