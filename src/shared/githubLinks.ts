/**
 * The links of a run started from a GitHub issue (issue 39), from its `github.*` journal entries:
 * the issue, the spec comment, the pushed branch and the pull request, one per kind (the latest);
 * which entry names which link is the event catalogue's (its `github` facet), the label is ours.
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

/** What the event catalogue says a `github.*` entry links to (its meaning's `github` facet). */
export interface GithubLinkFacet {
  link: GithubLinkView['kind'];
  url: unknown;
  detail?: unknown;
}

const numbered = (path: string, pattern: RegExp) => pattern.exec(path)?.[1];

/** Each link's label, from its address's path (and the pull request's number when the address lacks it). */
const LABELS: Record<GithubLinkView['kind'], (path: string, detail: unknown) => string> = {
  issue: (path) => `Issue #${numbered(path, /\/issues\/(\d+)/) ?? '?'}`,
  spec: () => 'Spec comment',
  branch: (path) => {
    const branch = numbered(path, /\/tree\/(.+)$/);
    return branch ? `Branch ${branch}` : 'Branch';
  },
  pull: (path, detail) =>
    `Pull request #${numbered(path, /\/pull\/(\d+)/) ?? (typeof detail === 'string' ? detail.replace(/^#/, '') : '?')}`,
};

/** The link the catalogue says an entry names, if its address may be one. */
export function githubLinkOf(facet: GithubLinkFacet | undefined): GithubLinkView | undefined {
  const url = facet?.url;
  if (typeof url !== 'string' || !/^https:\/\/[^\s]+$/.test(url) || url.length > 2000 || !URL.canParse(url))
    return undefined;
  return { kind: facet!.link, url, label: LABELS[facet!.link](new URL(url).pathname, facet!.detail) };
}

/** `links` with `link` in its place: one per kind, the latest, in the order issue, spec, branch, pull request. */
export function withGithubLink(links: readonly GithubLinkView[], link: GithubLinkView): GithubLinkView[] {
  return [...links.filter((l) => l.kind !== link.kind), link].sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind),
  );
}
