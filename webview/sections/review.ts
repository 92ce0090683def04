/** Review verdict and issues (severity, file:line, problem, fix); an issue opens its file at the line. */
import type { ReviewView } from '../../src/shared/protocol.js';
import { badge, clickable, h } from '../dom.js';
import type { Section } from '../section.js';

export const review: Section<{ review?: ReviewView }> = {
  id: 'review',
  select: (s) => ({ review: s.run?.review }),
  render({ review: r }, ctx) {
    if (!r) return null;
    const issues = r.issues.map((issue) =>
      clickable(
        h(
          'li',
          {
            class: `review-issue ${issue.severity}`,
            'data-testid': 'review-issue',
            'data-file': issue.file,
            'data-line': issue.line,
            'data-severity': issue.severity,
          },
          [
            h('div', {}, [
              badge(issue.severity),
              ' ',
              h('code', {}, [issue.line ? `${issue.file}:${issue.line}` : issue.file]),
            ]),
            h('div', { class: 'problem' }, [issue.problem]),
            h('div', { class: 'fix muted' }, [`Fix: ${issue.fix}`]),
          ],
        ),
        () => ctx.post({ type: 'openFile', path: issue.file, ...(issue.line ? { line: issue.line } : {}) }),
      ),
    );
    return h('section', { id: 'review-panel', 'data-testid': 'review-panel', 'data-verdict': r.verdict }, [
      h('h2', {}, [
        r.round > 0 ? `Review (round ${r.round}) ` : 'Review ',
        badge(r.verdict, { id: 'review-verdict', 'data-testid': 'review-verdict' }),
      ]),
      r.reason ? h('p', { class: 'muted' }, [r.reason]) : null,
      issues.length ? h('ul', { class: 'list', 'data-testid': 'review-issues' }, issues) : null,
    ]);
  },
};
