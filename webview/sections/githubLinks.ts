/** A run started from a GitHub issue (issue 39): its issue, spec comment, branch and pull request, opened by the editor. */
import type { GithubLinkView } from '../../src/shared/protocol.js';
import { h } from '../dom.js';
import type { Ctx } from '../section.js';

const OPENS: Record<GithubLinkView['kind'], string> = {
  issue: 'the issue that started this run',
  spec: "the run's spec comment on the issue",
  branch: 'the branch the run pushed',
  pull: "the run's pull request",
};

export function githubLinks(links: GithubLinkView[] | undefined, ctx: Ctx): HTMLElement | null {
  if (!links?.length) return null;
  const items = links.map((link) =>
    h('li', {}, [
      h(
        'a',
        {
          href: link.url,
          class: 'github-link',
          'data-testid': `github-${link.kind}`,
          'data-kind': link.kind,
          title: link.url,
          'aria-label': `${link.label} on GitHub: opens ${OPENS[link.kind]} in your browser`,
        },
        [link.label],
        {
          // The editor opens it (openExternal), after checking the run panel shows this address.
          click: (event) => {
            event.preventDefault();
            ctx.post({ type: 'openLink', url: link.url });
          },
        },
      ),
    ]),
  );
  return h('nav', { class: 'github-links', 'data-testid': 'run-github', 'aria-label': 'This run on GitHub' }, [
    h('span', { class: 'muted' }, ['GitHub: ']),
    h('ul', {}, items),
  ]);
}
