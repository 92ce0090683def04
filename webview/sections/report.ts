/** The "Pipeline stopped" report (agent, retries, last error, action needed), as the engine wrote it. */
import { h } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import type { Section } from '../section.js';

export const stopReport: Section<{ stop?: { reason: string; report: string } }> = {
  id: 'report',
  select: (s) => ({ stop: s.run?.stop }),
  render({ stop }) {
    if (!stop) return null;
    return h('section', { id: 'stop-report', 'data-testid': 'stop-report', class: 'banner error' }, [
      h('h2', {}, ['Pipeline stopped']),
      h('p', { 'data-testid': 'stop-reason' }, [stop.reason]),
      renderMarkdown(h('div', { class: 'markdown', 'data-testid': 'stop-report-body' }), stop.report),
    ]);
  },
};
