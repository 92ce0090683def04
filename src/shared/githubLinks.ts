/**
 * The links of a run started from a GitHub issue (issue 39), from its `github.*` journal entries:
 * the issue, the spec comment, the pushed branch and the pull request, one per kind (the latest).
 * Only https addresses become links (the entries are ours, but a journal is a file anyone could
 * edit, and a pooled run's is a database row). Shared by the sidebar's run panel, its Pool section
 * and the portal's Pool page; free of VS Code and Node imports.
 */
import * as z from 'zod/mini';

/**
 * What a run started from a GitHub issue made there: the issue, the spec comment, the pushed branch,
 * the pull request. The host opens one only if it is among the links it shows.
 */
export const githubLinkSchema = z.object({
  kind: z.enum(['issue', 'spec', 'branch', 'pull']),
  url: z.string().check(z.maxLength(2000), z.regex(/^https:\/\/[^\s]+$/)),
  label: z.string().check(z.maxLength(300)),
});
export type GithubLinkView = z.infer<typeof githubLinkSchema>;

const ORDER: GithubLinkView['kind'][] = ['issue', 'spec', 'branch', 'pull'];

/** The link a `github.*` entry names, if it names one. */
export function githubLinkOf(event: { type: string; url?: unknown; detail?: unknown }): GithubLinkView | undefined {
  const { url } = event;
  if (typeof url !== 'string' || !/^https:\/\/[^\s]+$/.test(url) || url.length > 2000 || !URL.canParse(url)) return undefined;
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
      return { kind: 'pull', url, label: `Pull request #${numbered(/\/pull\/(\d+)/) ?? (typeof event.detail === 'string' ? event.detail.replace(/^#/, '') : '?')}` };
    default:
      return undefined;
  }
}

/** `links` with `link` in its place: one per kind, the latest, in the order issue, spec, branch, pull request. */
export function withGithubLink(links: readonly GithubLinkView[], link: GithubLinkView): GithubLinkView[] {
  return [...links.filter((l) => l.kind !== link.kind), link].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}
