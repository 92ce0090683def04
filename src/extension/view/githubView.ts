/**
 * A run started from a GitHub issue (issue 39), from its `github.*` journal events: links to the
 * issue, the spec comment, the pushed branch and the pull request for the run panel, and a line in
 * the activity log for each decision, refusal, CI report or cancel. Only https addresses become
 * links (the events are ours, but the journal is a file anyone could edit).
 */
import type { EngineEvent, GithubEventType } from '../../core/events';
import type { ActivityLine, GithubLinkView, RunView } from '../../shared/viewState';

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

const MAX_ACTIVITY = 100;
const ORDER: GithubLinkView['kind'][] = ['issue', 'spec', 'branch', 'pull'];

const isGithub = (event: EngineEvent): event is GithubEvent => event.type.startsWith('github.') && typeof (event as { url?: unknown }).url === 'string';

function linkOf(event: GithubEvent): GithubLinkView | undefined {
  const { url } = event;
  if (!/^https:\/\/[^\s]+$/.test(url) || url.length > 2000 || !URL.canParse(url)) return undefined;
  const { pathname } = new URL(url);
  const numbered = (path: RegExp) => path.exec(pathname)?.[1];
  switch (event.type) {
    case 'github.issue.linked':
      return { kind: 'issue', url, label: `Issue #${numbered(/\/issues\/(\d+)/) ?? '?'}` };
    case 'github.spec.posted':
      return { kind: 'spec', url, label: 'Spec comment' };
    case 'github.pushed': {
      const branch = /\/tree\/(.+)$/.exec(pathname)?.[1];
      return { kind: 'branch', url, label: branch ? `Branch ${branch}` : 'Branch' };
    }
    case 'github.pr.opened':
    case 'github.pr.updated':
      return { kind: 'pull', url, label: `Pull request #${numbered(/\/pull\/(\d+)/) ?? event.detail?.replace(/^#/, '') ?? '?'}` };
    default:
      return undefined;
  }
}

const SAID: Partial<Record<GithubEventType, (e: GithubEvent) => ActivityLine>> = {
  'github.spec.decided': (e) => ({ level: 'info', text: `GitHub: ${e.by ?? 'someone'} answered the spec: ${e.detail ?? 'decided'}` }),
  'github.decision.refused': (e) => ({ level: 'warn', text: `GitHub: ${e.detail ?? 'a decision'} by @${e.by ?? '?'} refused (no write access)` }),
  'github.ci.failed': (e) => ({ level: 'warn', text: `GitHub: a check failed${e.detail ? ` (${e.detail})` : ''}` }),
  'github.ci.fixed': (e) => ({ level: 'info', text: `GitHub: a fix was pushed${e.detail ? ` (${e.detail})` : ''}` }),
  'github.ci.limit': () => ({ level: 'warn', text: 'GitHub: no more CI fixes for this pull request (github.maxCiFixes)' }),
  'github.change.requested': (e) => ({ level: 'info', text: `GitHub: change requested by @${e.by ?? '?'}` }),
  'github.cancelled': (e) => ({ level: 'warn', text: `GitHub: cancelled by @${e.by ?? '?'}` }),
};

export function applyGithubEvent(run: RunView, event: EngineEvent): RunView {
  if (!isGithub(event)) return run;
  const said = SAID[event.type]?.(event);
  const withLine = said ? { ...run, activity: [...run.activity, said].slice(-MAX_ACTIVITY) } : run;
  const link = linkOf(event);
  if (!link) return withLine;
  // One link per kind, the latest (an updated pull request, a spec comment posted again).
  const links = [...(run.github ?? []).filter((l) => l.kind !== link.kind), link].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  return { ...withLine, github: links };
}
